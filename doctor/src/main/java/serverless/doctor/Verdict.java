package serverless.doctor;

/** How one step went. WARN does not fail the run; FAIL does; SKIP means a step it needs did not pass. */
enum Verdict {
    PASS, WARN, FAIL, SKIP;

    /** Whether the steps that need this one can go on. */
    boolean letsDependentsRun() {
        return this == PASS || this == WARN;
    }
}

package serverless.examples.hivemq;

/**
 * Keeps standard error clean on Java 24 and newer. The HiveMQ client runs on Netty 4.1, which allocates direct
 * buffers through {@code sun.misc.Unsafe}; since Java 24 (JEP 498) the JVM prints four lines, "WARNING: A
 * terminally deprecated method in sun.misc.Unsafe has been called ...", the first time that happens, in every
 * run. Netty's own switch, the system property {@code io.netty.noUnsafe}, makes it use only the JDK's public
 * API instead (Netty 4.1.120 and 4.1.121 did exactly this by default on Java 24 and newer; see
 * https://netty.io/wiki/java-24-and-sun.misc.unsafe.html).
 *
 * <p>The cost: without Unsafe, Netty prefers heap buffers and leaves freeing direct ones to the garbage
 * collector. That matters for a busy server, not for one client (a 1000-message round trip takes as long).
 * Explicit choices win: nothing is set when {@code -Dio.netty.noUnsafe} is given, or when the JVM runs with
 * {@code --sun-misc-unsafe-memory-access=allow} (then Unsafe works without a warning). Nothing changes on
 * Java 17 to 23. In an application, make this choice once for the whole JVM (for example with that option).
 */
final class NettyUnsafe {

    private NettyUnsafe() {
    }

    /** Call first thing in main(): Netty reads the property once, when its first class loads. */
    static void avoidOnJava24AndNewer() {
        if (Runtime.version().feature() >= 24
                && System.getProperty("io.netty.noUnsafe") == null
                && !"allow".equals(System.getProperty("sun.misc.unsafe.memory.access"))) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
    }
}

package main

import "syscall"

// sleepUntil returns at the time given by nanos(), or just after: when a latency message is due. Not time.Sleep:
// on Linux that waits in whole milliseconds (the runtime's epoll_wait timeout), so every 2 ms it woke 0.5 ms late
// at the median on the development machine, which the latency measurement (counted from the due time) would charge
// to the stack. nanosleep(2) blocks this goroutine's thread alone (the client's goroutines run on), and woke
// 0.12 ms late at the median there, as Python's time.sleep (0.09 ms) for bench.py; the Java stacks park with
// LockSupport.parkNanos.
func sleepUntil(due int64) {
	for wait := due - nanos(); wait > 0; wait = due - nanos() {
		pause := syscall.NsecToTimespec(wait)
		_ = syscall.Nanosleep(&pause, nil) // interrupted (EINTR): the loop sleeps for what is left
	}
}

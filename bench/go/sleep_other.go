//go:build !linux

package main

import "time"

// sleepUntil returns at the time given by nanos(), or just after (see sleep_linux.go).
func sleepUntil(due int64) {
	if wait := due - nanos(); wait > 0 {
		time.Sleep(time.Duration(wait))
	}
}

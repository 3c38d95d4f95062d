//go:build unix

package main

import "syscall"

// syncDisks writes back what the file systems hold dirty.
func syncDisks() { syscall.Sync() }

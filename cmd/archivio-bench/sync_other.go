//go:build !unix

package main

// syncDisks does nothing here: the bench measures on Linux (it reads /proc).
func syncDisks() {}

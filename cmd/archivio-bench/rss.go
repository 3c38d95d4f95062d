package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// procMemory is the memory of a process, from /proc/<pid>/status, in kB.
type procMemory struct {
	RSSKB int64 // VmRSS: resident now
	HWMKB int64 // VmHWM: peak resident ("high water mark")
}

// readProcMemory reads VmRSS and VmHWM of a process; pid "self" is this one.
func readProcMemory(pid string) (procMemory, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return procMemory{}, err
	}
	defer f.Close()
	m, err := parseProcStatus(bufio.NewScanner(f))
	if err != nil {
		return procMemory{}, fmt.Errorf("read /proc/%s/status: %w", pid, err)
	}
	return m, nil
}

func parseProcStatus(sc *bufio.Scanner) (procMemory, error) {
	var m procMemory
	found := 0
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return m, fmt.Errorf("unexpected %s line %q", k, sc.Text())
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return m, fmt.Errorf("%s: %w", k, err)
		}
		if k == "VmRSS" {
			m.RSSKB = n
		} else {
			m.HWMKB = n
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return m, err
	}
	if found != 2 {
		return m, fmt.Errorf("VmRSS or VmHWM missing")
	}
	return m, nil
}

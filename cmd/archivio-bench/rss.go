package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// procMemory is the memory of a process, from /proc/<pid>/status, in kB.
type procMemory struct {
	RSSKB  int64 // VmRSS: resident now
	HWMKB  int64 // VmHWM: peak resident ("high water mark")
	AnonKB int64 // RssAnon: the resident part of the heap and stacks
	FileKB int64 // RssFile: resident pages of mapped files (bleve's mmapped segments)
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
		if !ok || (k != "VmRSS" && k != "VmHWM" && k != "RssAnon" && k != "RssFile") {
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
		switch k {
		case "VmRSS":
			m.RSSKB = n
			found++
		case "VmHWM":
			m.HWMKB = n
			found++
		case "RssAnon":
			m.AnonKB = n
		case "RssFile":
			m.FileKB = n
		}
	}
	if err := sc.Err(); err != nil {
		return m, err
	}
	if found != 2 {
		return m, fmt.Errorf("VmRSS or VmHWM missing")
	}
	return m, nil
}

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat,
// which Linux fixes at 100 for user space.
const clockTicks = 100

// readProcCPU returns the user+system CPU time a process has used so far.
func readProcCPU(pid string) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	return parseProcStat(string(b))
}

func parseProcStat(s string) (time.Duration, error) {
	// The command name, in parentheses, may hold spaces: fields start after it.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("unexpected /proc/pid/stat %.40q", s)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc/pid/stat %.40q", s)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unexpected /proc/pid/stat %.40q", s)
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

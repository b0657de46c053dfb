package loadgen

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// On a small machine the load generator, the server and anything else
// running share the cores, so each measurement records where the CPU went:
// a figure taken while other work was busy is not the server's best.

// clockTicks is USER_HZ, the unit of /proc CPU times (100 on Linux).
const clockTicks = 100

// cpuSample is the CPU time used so far, in ticks: by the whole machine
// (busy, not idle), by this process and by the server.
type cpuSample struct {
	at                  time.Time
	total, self, server int64
	haveTotal, haveSrv  bool
}

func sampleCPU(serverPid int) cpuSample {
	s := cpuSample{at: time.Now()}
	s.total, s.haveTotal = machineBusy()
	s.self, _ = processCPU("self")
	if serverPid > 0 {
		s.server, s.haveSrv = processCPU(strconv.Itoa(serverPid))
	}
	return s
}

// record sets r's CPU figures (in cores) for the time since s.
func (s cpuSample) record(r *Result, serverPid int) {
	end := sampleCPU(serverPid)
	secs := end.at.Sub(s.at).Seconds()
	if secs <= 0 || !s.haveTotal || !end.haveTotal {
		return
	}
	cores := func(ticks int64) float64 { return float64(ticks) / clockTicks / secs }
	self := end.self - s.self
	r.CPUClient = cores(self)
	other := end.total - s.total - self
	if s.haveSrv && end.haveSrv {
		srv := end.server - s.server
		r.CPUServer = cores(srv)
		other -= srv
	}
	r.CPUOther = max(0, cores(other))
}

// machineBusy is the machine's non-idle CPU time, from /proc/stat.
func machineBusy() (int64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	if len(f) < 8 || f[0] != "cpu" {
		return 0, false
	}
	var busy int64
	for i, v := range f[1:] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false
		}
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest time is in user already
			continue
		}
		busy += n
	}
	return busy, true
}

// processCPU is a process's user+system CPU time, from /proc/<pid>/stat.
func processCPU(pid string) (int64, bool) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; fields after it are plain.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:]) // state is f[0]; utime and stime are fields 14 and 15
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	return u + st, err1 == nil && err2 == nil
}

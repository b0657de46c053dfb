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
func (s cpuSample) record(r *Result, serverPid int) { s.since(serverPid).record(r) }

// cpuUse is the CPU time used over one or more spans, in seconds, and how
// long they lasted.
type cpuUse struct {
	secs                  float64
	server, client, other float64
	ok, haveSrv           bool
}

// since is the CPU used from s until now.
func (s cpuSample) since(serverPid int) cpuUse {
	end := sampleCPU(serverPid)
	u := cpuUse{secs: end.at.Sub(s.at).Seconds(), ok: s.haveTotal && end.haveTotal, haveSrv: s.haveSrv && end.haveSrv}
	if u.secs <= 0 || !u.ok {
		return cpuUse{}
	}
	self := end.self - s.self
	u.client = float64(self) / clockTicks
	other := end.total - s.total - self
	if u.haveSrv {
		srv := end.server - s.server
		u.server = float64(srv) / clockTicks
		other -= srv
	}
	u.other = max(0, float64(other)/clockTicks)
	return u
}

// add adds the use of another span.
func (u *cpuUse) add(v cpuUse) {
	if !v.ok {
		return
	}
	u.haveSrv = v.haveSrv && (u.haveSrv || !u.ok)
	u.ok = true
	u.secs += v.secs
	u.server += v.server
	u.client += v.client
	u.other += v.other
}

// record sets r's CPU figures, in cores over the spans.
func (u cpuUse) record(r *Result) {
	if !u.ok || u.secs <= 0 {
		return
	}
	r.CPUClient = u.client / u.secs
	r.CPUOther = u.other / u.secs
	if u.haveSrv {
		r.CPUServer = u.server / u.secs
	}
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

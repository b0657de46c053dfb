package loadgen

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// pinning places the load generator and the server on one CPU for a
// measurement, and restores where they ran after.
//
// On a virtual machine, a thread woken on another, idle CPU waits for that
// CPU to come out of its halt: tens of microseconds at each of the two
// wake-ups of a request/answer round trip, so at concurrency 1 the
// hypervisor, not the server, sets the rate (a bare net/http server does
// about 9,000 requests/s at concurrency 1 on an idle 2-vCPU VM, and more than
// twice that with both ends on one CPU).
type pinning struct {
	pids []string
	was  map[string]unix.CPUSet // each process's first thread's mask
}

// pinTogether pins every thread of each process (this one is "self") to
// the first CPU this process may use.
func pinTogether(pids ...string) (*pinning, error) {
	var mine unix.CPUSet
	if err := unix.SchedGetaffinity(0, &mine); err != nil {
		return nil, err
	}
	var one unix.CPUSet
	for cpu := range 1024 {
		if mine.IsSet(cpu) {
			one.Set(cpu)
			break
		}
	}
	p := &pinning{pids: pids, was: map[string]unix.CPUSet{}}
	for _, pid := range pids {
		var set unix.CPUSet
		if err := unix.SchedGetaffinity(firstThread(pid), &set); err != nil {
			return nil, err
		}
		p.was[pid] = set
		if err := setAffinity(pid, &one); err != nil {
			p.undo()
			return nil, err
		}
	}
	return p, nil
}

// undo gives each process back the CPUs it had.
func (p *pinning) undo() {
	for pid, set := range p.was {
		setAffinity(pid, &set)
	}
}

func firstThread(pid string) int {
	if pid == "self" {
		return 0
	}
	n, _ := strconv.Atoi(pid)
	return n
}

// setAffinity sets the CPU mask of every thread of a process. Threads
// started meanwhile inherit their creator's mask, so a second pass catches
// any the first missed.
func setAffinity(pid string, set *unix.CPUSet) error {
	for range 2 {
		tasks, err := os.ReadDir("/proc/" + pid + "/task")
		if err != nil {
			return err
		}
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil {
				continue
			}
			if err := unix.SchedSetaffinity(tid, set); err != nil && err != unix.ESRCH {
				return err
			}
		}
	}
	return nil
}

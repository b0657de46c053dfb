package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// readmeEndpoint is the one endpoint the README's examples use, through
// AWS_ENDPOINT_URL.
const readmeEndpoint = "http://127.0.0.1:4566"

// readmeStep is one piece of the README's shell, in order: a ```sh block,
// or one `$ command` of a transcript block with the output shown below it.
type readmeStep struct {
	line       int // of the README, where the step starts
	script     string
	transcript bool
	shown      string // a transcript's last line of output, "" if none is shown
}

var codeBlock = regexp.MustCompile("(?ms)^```(\\w*)\\n(.*?)^```")

// readmeSteps reads the shell examples of the README, in order.
func readmeSteps(t *testing.T) []readmeStep {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	var steps []readmeStep
	for _, m := range codeBlock.FindAllStringSubmatchIndex(text, -1) {
		lang, body := text[m[2]:m[3]], text[m[4]:m[5]]
		line := strings.Count(text[:m[4]], "\n") + 1
		switch lang {
		case "sh":
			steps = append(steps, readmeStep{line: line, script: body})
		case "":
			for i, l := range strings.Split(body, "\n") {
				switch {
				case strings.HasPrefix(l, "$ "):
					steps = append(steps, readmeStep{line: line + i, script: l[2:] + "\n", transcript: true})
				case l != "" && len(steps) > 0 && steps[len(steps)-1].transcript && steps[len(steps)-1].line >= line:
					steps[len(steps)-1].shown = l
				}
			}
		}
	}
	if len(steps) < 5 {
		t.Fatalf("found %d shell examples in the README", len(steps))
	}
	return steps
}

var (
	localURL = regexp.MustCompile(`https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?`)
	fileURL  = regexp.MustCompile(`file://([^\s"']+)`)
	awsCall  = regexp.MustCompile(`(^|[$(|;&]\s*|\s)(aws|vpcemu) `)
)

// TestREADMEShell: the README's shell examples parse, use one endpoint
// through AWS_ENDPOINT_URL once it is set, and create the files they read.
func TestREADMEShell(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not on PATH")
	}
	var all strings.Builder
	exported := false
	for _, s := range readmeSteps(t) {
		all.WriteString(s.script)
		for _, u := range localURL.FindAllString(s.script, -1) {
			if u != readmeEndpoint {
				t.Errorf("README line %d: %s; the examples use %s", s.line, u, readmeEndpoint)
			}
		}
		if strings.Contains(s.script, "--endpoint-url") {
			t.Errorf("README line %d: --endpoint-url; the examples use AWS_ENDPOINT_URL", s.line)
		}
		for _, l := range strings.Split(s.script, "\n") {
			if strings.HasPrefix(l, "export AWS_ENDPOINT_URL="+readmeEndpoint) {
				exported = true
			}
			if awsCall.MatchString(strings.SplitN(l, "#", 2)[0]) && !exported {
				t.Errorf("README line %d: %q runs before AWS_ENDPOINT_URL is set", s.line, l)
			}
		}
		for _, f := range fileURL.FindAllStringSubmatch(s.script, -1) {
			if !strings.Contains(all.String(), "> "+f[1]) {
				t.Errorf("README line %d: reads %s, which no example before creates", s.line, f[1])
			}
		}
	}
	cmd := exec.Command("bash", "-n")
	cmd.Stdin = strings.NewReader(all.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("bash -n on the README's examples: %v\n%s", err, out)
	}
}

// resourceIDs masks resource ids, which differ from run to run.
var resourceIDs = regexp.MustCompile(`\b[a-z]+-[0-9a-f]{8,17}\b`)

// TestREADMEExamples runs the README's shell examples top to bottom against
// a fresh vpcemu, as a new user pastes them: every command succeeds, and
// each `vpcemu analyze` transcript ends with the verdict the README shows.
// The Terraform example is TestTerraformFoundation's configuration; go
// commands are left out (the test built vpcemu and puts it on PATH).
func TestREADMEExamples(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the aws CLI starts slowly; skipped in -short mode")
	}
	for _, tool := range []string{"bash", "aws", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH; the README's examples use it", tool)
		}
	}
	e := emulatortest.StartWithDataPlane(t)
	if e.PlaneOff != nil {
		t.Logf("the examples that run processes as instances (vpcemu run) are left out: %v", e.PlaneOff)
	}
	work, out := t.TempDir(), t.TempDir()
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	steps := readmeSteps(t)
	for i, s := range steps {
		if strings.Contains(s.script, "terraform ") || e.PlaneOff != nil && strings.Contains(s.script, "vpcemu run") {
			continue
		}
		var kept []string
		for _, l := range strings.Split(s.script, "\n") {
			if !strings.HasPrefix(l, "go ") {
				kept = append(kept, l)
			}
		}
		body := strings.ReplaceAll(strings.Join(kept, "\n"), readmeEndpoint, e.URL())
		fmt.Fprintf(&script, "echo '>>> README line %d' >&2\n", s.line)
		if !s.transcript {
			script.WriteString(body + "\n")
			continue
		}
		fmt.Fprintf(&script, "if { %s\n} > %s/%d.out 2>&1; then echo 0 > %[2]s/%[3]d.code; else echo $? > %[2]s/%[3]d.code; fi\n", strings.TrimSpace(body), out, i)
	}
	config := filepath.Join(work, ".aws-config")
	writeFile(t, config, "")
	cmd := exec.CommandContext(t.Context(), "bash", "-c", script.String())
	cmd.Dir = work
	cmd.Env = append(withoutPrefixes(os.Environ(), "AWS_", "VPCEMU_"),
		"PATH="+filepath.Dir(Binary(t))+string(os.PathListSeparator)+os.Getenv("PATH"),
		"AWS_CONFIG_FILE="+config, "AWS_SHARED_CREDENTIALS_FILE="+config,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's examples stop: %v; the last lines:\n%s", err, lastLines(string(log), 30))
	}
	for i, s := range steps {
		if !s.transcript || e.PlaneOff != nil && strings.Contains(s.script, "vpcemu run") {
			continue
		}
		got, err1 := os.ReadFile(filepath.Join(out, strconv.Itoa(i)+".out"))
		code, err2 := os.ReadFile(filepath.Join(out, strconv.Itoa(i)+".code"))
		if err1 != nil || err2 != nil {
			t.Errorf("README line %d did not run: %v %v", s.line, err1, err2)
			continue
		}
		wantCode := "0"
		if strings.HasPrefix(s.shown, "blocked: ") {
			wantCode = "1"
		}
		last := lastLines(string(got), 1)
		if strings.TrimSpace(string(code)) != wantCode || s.shown != "" && resourceIDs.ReplaceAllString(last, "ID") != resourceIDs.ReplaceAllString(s.shown, "ID") {
			t.Errorf("README line %d: %s exit status %s, want %s; last line of the output:\n got %s\nwant %s",
				s.line, strings.TrimSpace(s.script), strings.TrimSpace(string(code)), wantCode, last, s.shown)
		}
	}
}

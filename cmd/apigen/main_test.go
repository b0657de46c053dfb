package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsmodel"
)

var update = flag.Bool("update", false, "rewrite testdata/tiny.golden")

// tiny generates the hand-written model in testdata.
var tiny = options{model: "tiny/2020-01-01", pkg: "tinyapi", ops: "testdata/tiny-operations.txt", models: "testdata/models"}

// TestGenerateTiny renders a small model that uses every feature of the
// generator and compares with testdata/tiny.golden (-update rewrites it).
func TestGenerateTiny(t *testing.T) {
	src, err := tiny.generate()
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/tiny.golden"
	if *update {
		if err := os.WriteFile(golden, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if line, ok := firstDiff(src, want); !ok {
		t.Errorf("output differs from %s at line %d (run go test ./cmd/apigen -update and review the diff):\ngot  %s\nwant %s",
			golden, line.n, line.got, line.want)
	}
}

func TestGenerateErrors(t *testing.T) {
	m, err := awsmodel.Load(filepath.Join(tiny.models, tiny.model, "api-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	m.Shapes["Bad"] = &awsmodel.Shape{Type: "document"}
	m.Shapes["BadRequest"] = &awsmodel.Shape{Type: "structure", Members: map[string]*awsmodel.ShapeRef{"X": {Shape: "Bad"}}}
	m.Operations["BadOp"] = &awsmodel.Operation{Name: "BadOp", Input: &awsmodel.ShapeRef{Shape: "BadRequest"}}
	m.Operations["ScalarOp"] = &awsmodel.Operation{Name: "ScalarOp", Input: &awsmodel.ShapeRef{Shape: "String"}}
	tests := []struct {
		op, want string
	}{
		{"Missing", "operation Missing is not in the tiny model"},
		{"BadOp", "BadRequest.X: shape Bad has unsupported type document"},
		{"ScalarOp", "shape String is not a structure"},
	}
	for _, tt := range tests {
		if _, err := Generate(m, "tiny", "tinyapi", []string{tt.op}); err == nil || err.Error() != tt.want {
			t.Errorf("%s: got error %v, want %q", tt.op, err, tt.want)
		}
	}
}

func TestReadOps(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		err        string
	}{
		{"comments and blanks", "# all\nA\n\n  B # why\n", []string{"A", "B"}, ""},
		{"duplicate", "A\nA\n", nil, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ops.txt")
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readOps(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %q %v, want %q", got, err, tt.want)
			}
		})
	}
}

// TestGeneratedCodeIsCurrent runs each //go:generate apigen line under
// internal/api and compares with the committed output.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	dirs, err := filepath.Glob("../../internal/api/*")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, dir := range dirs {
		args, ok := generateArgs(t, dir)
		if !ok {
			continue
		}
		found++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			o, err := parseFlags(args)
			if err != nil {
				t.Fatal(err)
			}
			// go generate runs in the package's directory.
			o.ops, o.out = filepath.Join(dir, o.ops), filepath.Join(dir, o.out)
			if o.models != "" {
				o.models = filepath.Join(dir, o.models)
			}
			if o.overlay != "" {
				o.overlay = filepath.Join(dir, o.overlay)
			}
			src, err := o.generate()
			if errors.Is(err, errNoModel) {
				t.Skipf("cannot check without the model: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			committed, err := os.ReadFile(o.out)
			if err != nil {
				t.Fatal(err)
			}
			if line, ok := firstDiff(src, committed); !ok {
				t.Errorf("%s is stale: run go generate ./internal/api/... (first difference at line %d:\ngenerated %s\ncommitted %s)",
					o.out, line.n, line.got, line.want)
			}
		})
	}
	if found < 2 {
		t.Errorf("found %d generated packages, want ec2api and stsapi at least", found)
	}
}

// generateArgs returns the apigen arguments of the //go:generate line in
// one of dir's Go files.
func generateArgs(t *testing.T, dir string) ([]string, bool) {
	t.Helper()
	const directive = "//go:generate go run github.com/vpcemu/vpcemu/cmd/apigen "
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), directive); ok {
				return strings.Fields(rest), true
			}
		}
	}
	return nil, false
}

type diffLine struct {
	n         int
	got, want string
}

// firstDiff finds the first line where got and want differ; ok means none.
func firstDiff(got, want []byte) (diffLine, bool) {
	if bytes.Equal(got, want) {
		return diffLine{}, true
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		d := diffLine{n: i + 1, got: "(end)", want: "(end)"}
		if i < len(g) {
			d.got = g[i]
		}
		if i < len(w) {
			d.want = w[i]
		}
		if d.got != d.want {
			return d, false
		}
	}
	return diffLine{}, false
}

// TestUnimplemented: -unimplemented adds a Handler stub per listed
// operation answering UnsupportedOperation.
func TestUnimplemented(t *testing.T) {
	o := tiny
	o.unimplemented = true
	src, err := o.generate()
	if err != nil {
		t.Fatal(err)
	}
	ops, err := readOps(o.ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		stub := "func (Unimplemented) " + op + "(context.Context, *awsproto.Request, *" + op + "Input) (*" + op + "Output, error) {\n\treturn nil, awsproto.NotImplemented(Spec, \"" + op + "\")\n}"
		if !strings.Contains(string(src), stub) {
			t.Errorf("no stub for %s", op)
		}
	}
	plain, _ := tiny.generate()
	if !bytes.HasPrefix(src, plain) || strings.Contains(string(plain), "Unimplemented") {
		t.Error("-unimplemented changes more than it adds, or its absence still adds")
	}
}

// TestGenerateSparse: -sparse marks the list and map members of the named
// structure and of every structure inside it, and nothing else.
func TestGenerateSparse(t *testing.T) {
	m, err := awsmodel.Load(filepath.Join(tiny.models, tiny.model, "api-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	ops, err := readOps(tiny.ops)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Generate(m, tiny.model, tiny.pkg, ops, "Node")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"`aws:\"Children,mloc=item,sparse\"`", "`aws:\"Nodes,loc=nodeSet,mloc=item\"`", "`aws:\"Flat,flat\"`"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("no %s in\n%s", want, src)
		}
	}
	if _, err := Generate(m, tiny.model, tiny.pkg, ops, "String"); err == nil {
		t.Error("a scalar shape was taken as sparse")
	}
}

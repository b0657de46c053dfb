// Command apigen generates Go shapes and an operation table for one AWS service
// from its API model (models/apis/<service>/<version>/api-2.json in the Go
// module github.com/aws/aws-sdk-go). It emits only what the operations listed
// in operations.txt need, so adding an operation is: list it, run
// `go generate`, implement one method of the generated Handler interface.
//
// Usage (from a //go:generate line in internal/api/<pkg>):
//
//	go run github.com/vpcemu/vpcemu/cmd/apigen -model ec2/2016-11-15 -pkg ec2api
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	// The blank import keeps the model module in go.mod: apigen reads its
	// api-2.json files from the module cache, never its (deprecated) code.
	//lint:ignore SA1019 only the module's model files are read
	_ "github.com/aws/aws-sdk-go/aws/awserr"

	"github.com/vpcemu/vpcemu/internal/awsmodel"
)

const modelModule = "github.com/aws/aws-sdk-go"

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	if err := o.run(); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

// options are apigen's command-line flags.
type options struct {
	model, pkg, ops, out, models, overlay, sparse string
	rpcv2                                         string
	unimplemented                                 bool
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("apigen", flag.ContinueOnError)
	fs.StringVar(&o.model, "model", "", "service model as <service>/<version>, e.g. ec2/2016-11-15")
	fs.StringVar(&o.pkg, "pkg", "", "Go package name to emit")
	fs.StringVar(&o.ops, "ops", "operations.txt", "file listing the operations to emit, one per line")
	fs.StringVar(&o.out, "out", "zz_api.go", "output file")
	fs.StringVar(&o.models, "models", "", "models/apis directory (default: from the Go module cache)")
	fs.StringVar(&o.overlay, "overlay", "", "api-2.json fragment merged over the model (members newer than the model file)")
	fs.StringVar(&o.sparse, "sparse", "", "comma-separated structures that AWS answers sparsely: their lists, and those of every structure inside them, are left out when empty")
	fs.StringVar(&o.rpcv2, "query-compatible", "", "the Smithy service name of a query service also served, with AWS query compatibility, in awsJson1_0 (X-Amz-Target <name>.<op>) and rpcv2Cbor (/service/<name>/operation/<op>); the aws-sdk-go v1 models predate both")
	fs.BoolVar(&o.unimplemented, "unimplemented", false, "also emit Unimplemented, a Handler answering every listed operation UnsupportedOperation (for a service listed before it is served)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.model == "" || o.pkg == "" {
		fs.Usage()
		return nil, errors.New("-model and -pkg are required")
	}
	return o, nil
}

func (o *options) run() error {
	src, err := o.generate()
	if err != nil {
		return err
	}
	return os.WriteFile(o.out, src, 0o644)
}

// generate renders the source for the model and operations o names.
func (o *options) generate() ([]byte, error) {
	modelDir := o.models
	if modelDir == "" {
		dir, err := moduleDir(modelModule)
		if err != nil {
			return nil, err
		}
		modelDir = filepath.Join(dir, "models", "apis")
	}
	m, err := awsmodel.Load(filepath.Join(modelDir, o.model, "api-2.json"))
	if err != nil {
		return nil, err
	}
	if o.overlay != "" {
		frag, err := awsmodel.LoadFragment(o.overlay)
		if err != nil {
			return nil, err
		}
		m.Merge(frag)
	}
	ops, err := readOps(o.ops)
	if err != nil {
		return nil, err
	}
	var sparse []string
	if o.sparse != "" {
		sparse = strings.Split(o.sparse, ",")
	}
	src, err := generate(m, o.model, o.pkg, ops, o.rpcv2, sparse)
	if err != nil || !o.unimplemented {
		return src, err
	}
	return withUnimplemented(src, ops)
}

// withUnimplemented appends Unimplemented to generated source: a Handler
// whose every method answers UnsupportedOperation. A service embeds it while
// the domain behind its listed operations is still being written, so the
// shapes, the operation table and the round-trip tests exist before the
// handlers; each method the service defines replaces one stub.
func withUnimplemented(src []byte, ops []string) ([]byte, error) {
	var b bytes.Buffer
	b.Write(src)
	b.WriteString("\n// Unimplemented answers every listed operation UnsupportedOperation (4xx).\n")
	b.WriteString("// Embedding it serves the operations a service defines and refuses the rest.\n")
	b.WriteString("type Unimplemented struct{}\n\n")
	for _, op := range ops {
		fmt.Fprintf(&b, "// %s answers UnsupportedOperation.\nfunc (Unimplemented) %s(context.Context, *awsproto.Request, *%sInput) (*%sOutput, error) {\n\treturn nil, awsproto.NotImplemented(Spec, %q)\n}\n\n", op, op, op, op, op)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), fmt.Errorf("formatting generated code: %w", err)
	}
	return out, nil
}

// errNoModel means the model module is not in the module cache.
var errNoModel = errors.New("model module not available")

// moduleDir finds a module's directory through the go command, which
// downloads it into the module cache when needed.
func moduleDir(mod string) (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mod)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: locating %s: %v", errNoModel, mod, err)
	}
	dir := strings.TrimSpace(string(b))
	if dir == "" {
		return "", fmt.Errorf("%w: %s is not downloaded; run `go mod download %s`", errNoModel, mod, mod)
	}
	return dir, nil
}

func readOps(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ops []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if seen[line] {
			return nil, fmt.Errorf("%s: %s listed twice", path, line)
		}
		seen[line] = true
		ops = append(ops, line)
	}
	return ops, sc.Err()
}

// Generate renders the Go source for the listed operations of m. The
// sparse structures, and every structure inside them, get the "sparse" mark
// on their list and map members: the codecs write every other list, empty
// or not, and leave these out when empty (see xmlcodec.WriteMembers).
func Generate(m *awsmodel.Model, modelPath, pkg string, ops []string, sparse ...string) ([]byte, error) {
	return generate(m, modelPath, pkg, ops, "", sparse)
}

// generate is Generate for a query service also served, query-compatible,
// in awsJson1_0 and rpcv2Cbor under the Smithy service name rpcv2 ("" when
// not).
func generate(m *awsmodel.Model, modelPath, pkg string, ops []string, rpcv2 string, sparse []string) ([]byte, error) {
	g := &gen{m: m, pkg: pkg, rpcv2: rpcv2, emitted: map[string]bool{}, enums: map[string]bool{}, sparse: map[string]bool{}}
	for _, name := range sparse {
		if s := m.Shapes[name]; s == nil || s.Type != "structure" {
			return nil, fmt.Errorf("sparse shape %s is not a structure of the %s model", name, modelPath)
		}
		g.markSparse(name)
	}
	for _, op := range ops {
		o := m.Operations[op]
		if o == nil {
			return nil, fmt.Errorf("operation %s is not in the %s model", op, modelPath)
		}
		g.ops = append(g.ops, o)
	}
	return g.render(modelPath)
}

type gen struct {
	m        *awsmodel.Model
	pkg      string
	ops      []*awsmodel.Operation
	emitted  map[string]bool // structure shapes already queued
	queue    []string
	enums    map[string]bool
	sparse   map[string]bool // structures whose empty lists are left out
	rpcv2    string          // Smithy service name of a query-compatible service, or ""
	usesTime bool
}

// markSparse marks a structure and every structure reachable from it.
func (g *gen) markSparse(name string) {
	s := g.m.Shapes[name]
	if s == nil || g.sparse[name] {
		return
	}
	switch s.Type {
	case "structure":
		g.sparse[name] = true
		for _, ref := range s.Members {
			g.markSparse(ref.Shape)
		}
	case "list":
		g.markSparse(s.Member.Shape)
	case "map":
		g.markSparse(s.Value.Shape)
	}
}

func (g *gen) render(modelPath string) ([]byte, error) {
	var body bytes.Buffer
	// Operation inputs and outputs first, under SDK-style names.
	for _, o := range g.ops {
		if err := g.structure(&body, o.Name+"Input", o.Input, true); err != nil {
			return nil, err
		}
		if err := g.structure(&body, o.Name+"Output", o.Output, false); err != nil {
			return nil, err
		}
	}
	for len(g.queue) > 0 {
		name := g.queue[0]
		g.queue = g.queue[1:]
		if err := g.structure(&body, goName(name), &awsmodel.ShapeRef{Shape: name}, false); err != nil {
			return nil, err
		}
	}
	g.renderEnums(&body)

	var b bytes.Buffer
	md := g.m.Metadata
	fmt.Fprintf(&b, "// Code generated by apigen from the AWS API model %s; DO NOT EDIT.\n\n", modelPath)
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n", g.pkg)
	if g.usesTime {
		b.WriteString("\t\"time\"\n")
	}
	b.WriteString("\n\t\"github.com/vpcemu/vpcemu/internal/awsproto\"\n)\n\n")

	b.WriteString("// Handler serves the operations vpcemu implements for this service. req is\n// who sends the request (account, region, access key, dry run), as the\n// server found it.\ntype Handler interface {\n")
	for _, o := range g.ops {
		fmt.Fprintf(&b, "\t%s(ctx context.Context, req *awsproto.Request, in *%sInput) (*%sOutput, error)\n", o.Name, o.Name, o.Name)
	}
	b.WriteString("}\n\n")

	signing := signingName(md)
	b.WriteString("// Spec describes the service's wire protocol and operation table.\n")
	b.WriteString("var Spec = &awsproto.Spec{\n")
	target, jsonVersion := md.TargetPrefix, md.JSONVersion
	if g.rpcv2 != "" {
		target, jsonVersion = g.rpcv2, "1.0" // awsJson1_0's target is the Smithy service name
	}
	fmt.Fprintf(&b, "\tSigningName: %q,\n\tEndpointPrefix: %q,\n\tProtocol: %q,\n\tAPIVersion: %q,\n\tXMLNamespace: %q,\n\tTargetPrefix: %q,\n\tJSONVersion: %q,\n",
		signing, md.EndpointPrefix, md.Protocol, md.APIVersion, g.namespace(), target, jsonVersion)
	b.WriteString("\tOperations: map[string]*awsproto.Operation{\n")
	for _, o := range g.ops {
		wrapper := ""
		if o.Output != nil {
			wrapper = o.Output.ResultWrapper
		}
		code := o.HTTP.ResponseCode
		fmt.Fprintf(&b, "\t\t%q: {Name: %q, Method: %q, RequestURI: %q, ResponseCode: %d, ResultWrapper: %q,\n", o.Name, o.Name, o.HTTP.Method, o.HTTP.RequestURI, code, wrapper)
		if md.Protocol == "rest-xml" {
			fmt.Fprintf(&b, "\t\t\tInputRoot: %q, OutputRoot: %q,\n", xmlRoot(o.Input), xmlRoot(o.Output))
		}
		fmt.Fprintf(&b, "\t\t\tNewInput: func() any { return new(%sInput) },\n", o.Name)
		fmt.Fprintf(&b, "\t\t\tInvoke: func(ctx context.Context, req *awsproto.Request, h any, in any) (any, error) {\n\t\t\t\tout, err := h.(Handler).%s(ctx, req, in.(*%sInput))\n\t\t\t\tif out == nil {\n\t\t\t\t\treturn nil, err\n\t\t\t\t}\n\t\t\t\treturn out, err\n\t\t\t}},\n", o.Name, o.Name)
	}
	b.WriteString("\t},\n\tModelOperations: []string{\n")
	for _, n := range g.m.OperationNames() {
		fmt.Fprintf(&b, "\t\t%q,\n", n)
	}
	b.WriteString("\t},\n")
	if md.Protocol == "rest-xml" {
		g.renderErrorStatus(&b)
	}
	if g.rpcv2 != "" {
		fmt.Fprintf(&b, "\tQueryCompatible: true,\n\tRPCv2Service: %q,\n", g.rpcv2)
		g.renderErrorShapes(&b)
	}
	b.WriteString("}\n\n")
	b.Write(body.Bytes())

	src, err := format.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), fmt.Errorf("formatting generated code: %w", err)
	}
	return src, nil
}

// namespace is the service's XML namespace: the metadata's, else (rest-xml
// models name it on each request body instead) the first one an operation
// input names.
func (g *gen) namespace() string {
	if g.m.Metadata.XMLNamespace != "" {
		return g.m.Metadata.XMLNamespace
	}
	for _, n := range g.m.OperationNames() {
		if in := g.m.Operations[n].Input; in != nil {
			if ns, ok := in.XMLNamespace.(map[string]any); ok {
				if uri, ok := ns["uri"].(string); ok && uri != "" {
					return uri
				}
			}
		}
	}
	return ""
}

// xmlRoot is the root element of a rest-xml body: the reference's
// locationName, else the shape's name.
func xmlRoot(ref *awsmodel.ShapeRef) string {
	if ref == nil {
		return ""
	}
	if ref.LocationName != "" {
		return ref.LocationName
	}
	return ref.Shape
}

// renderErrorStatus emits the HTTP status of every error the listed
// operations may answer, as the model's error shapes give it.
func (g *gen) renderErrorStatus(b *bytes.Buffer) {
	status := map[string]int{}
	for _, o := range g.ops {
		for _, ref := range o.Errors {
			s := g.m.Shapes[ref.Shape]
			if s == nil {
				continue
			}
			code, st := ref.Shape, 400
			if s.Error != nil {
				if s.Error.Code != "" {
					code = s.Error.Code
				}
				if s.Error.HTTPStatusCode != 0 {
					st = s.Error.HTTPStatusCode
				}
			}
			status[code] = st
		}
	}
	b.WriteString("\tErrorStatus: map[string]int{\n")
	for _, c := range slices.Sorted(maps.Keys(status)) {
		fmt.Fprintf(b, "\t\t%q: %d,\n", c, status[c])
	}
	b.WriteString("\t},\n")
}

// renderErrorShapes emits the model's error shape of every error code the
// listed operations may answer, where the two differ: a query-compatible
// protocol names the shape in the body and the code in a header.
func (g *gen) renderErrorShapes(b *bytes.Buffer) {
	shapes := map[string]string{}
	for _, o := range g.ops {
		for _, ref := range o.Errors {
			if s := g.m.Shapes[ref.Shape]; s != nil && s.Error != nil && s.Error.Code != "" && s.Error.Code != ref.Shape {
				shapes[s.Error.Code] = ref.Shape
			}
		}
	}
	b.WriteString("\tErrorShapes: map[string]string{\n")
	for _, c := range slices.Sorted(maps.Keys(shapes)) {
		fmt.Fprintf(b, "\t\t%q: %q,\n", c, shapes[c])
	}
	b.WriteString("\t},\n")
}

// structure emits one struct type for the shape ref points at (an empty
// struct when ref is nil: operations without input or output).
func (g *gen) structure(b *bytes.Buffer, typeName string, ref *awsmodel.ShapeRef, input bool) error {
	if ref == nil {
		fmt.Fprintf(b, "type %s struct{}\n\n", typeName)
		return nil
	}
	s := g.m.Shapes[ref.Shape]
	if s == nil || s.Type != "structure" {
		return fmt.Errorf("shape %s is not a structure", ref.Shape)
	}
	fmt.Fprintf(b, "// %s is the AWS shape %s.\ntype %s struct {\n", typeName, ref.Shape, typeName)
	for _, name := range s.MemberNames() {
		mref := s.Members[name]
		typ, err := g.goType(mref.Shape, true)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", ref.Shape, name, err)
		}
		tag := g.tag(s, name, mref, input)
		if t := g.m.Shapes[mref.Shape].Type; g.sparse[ref.Shape] && (t == "list" || t == "map") {
			tag += ",sparse"
		}
		fmt.Fprintf(b, "\t%s %s `aws:\"%s\"`\n", goName(name), typ, tag)
	}
	b.WriteString("}\n\n")
	return nil
}

// tag renders the wire attributes of a member for the protocol codecs.
func (g *gen) tag(parent *awsmodel.Shape, name string, ref *awsmodel.ShapeRef, input bool) string {
	s := g.m.Shapes[ref.Shape]
	parts := []string{name}
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	flag := func(k string, on bool) {
		if on {
			parts = append(parts, k)
		}
	}
	add("loc", ref.LocationName)
	add("qn", ref.QueryName)
	add("in", ref.Location)
	flag("flat", ref.Flattened || s.Flattened)
	if s.Member != nil {
		add("mloc", s.Member.LocationName)
	}
	if s.Key != nil {
		add("kloc", s.Key.LocationName)
	}
	if s.Value != nil {
		add("vloc", s.Value.LocationName)
	}
	ts := ref.TimestampFormat
	if ts == "" {
		ts = s.TimestampFormat
	}
	add("ts", ts)
	flag("req", parent.IsRequired(name))
	// A few operations document a ClientToken the model does not mark as
	// an idempotency token (CreateEgressOnlyInternetGateway); AWS honours
	// them all the same.
	flag("idem", ref.IdempotencyToken || input && name == "ClientToken")
	flag("jv", ref.JSONValue)
	flag("attr", ref.XMLAttribute)
	flag("payload", parent.Payload == name)
	if s.Min != nil {
		add("min", fmt.Sprint(*s.Min))
	}
	if s.Max != nil {
		add("max", fmt.Sprint(*s.Max))
	}
	if len(s.Enum) > 0 {
		add("enum", goName(ref.Shape))
	}
	return strings.Join(parts, ",")
}

// goType maps a shape to its Go type; scalars are pointers at the top of a
// structure member (so "absent" differs from "zero") and values inside
// lists and maps, as in aws-sdk-go-v2.
func (g *gen) goType(shape string, member bool) (string, error) {
	s := g.m.Shapes[shape]
	if s == nil {
		return "", fmt.Errorf("unknown shape %s", shape)
	}
	ptr := ""
	if member {
		ptr = "*"
	}
	switch s.Type {
	case "structure":
		if !g.emitted[shape] {
			g.emitted[shape] = true
			g.queue = append(g.queue, shape)
		}
		return ptr + goName(shape), nil
	case "list":
		elem, err := g.goType(s.Member.Shape, false)
		return "[]" + elem, err
	case "map":
		v, err := g.goType(s.Value.Shape, false)
		return "map[string]" + v, err
	case "string":
		if len(s.Enum) > 0 {
			g.enums[shape] = true
		}
		return ptr + "string", nil
	case "boolean":
		return ptr + "bool", nil
	case "integer":
		return ptr + "int32", nil
	case "long":
		return ptr + "int64", nil
	case "double":
		return ptr + "float64", nil
	case "float":
		return ptr + "float32", nil
	case "timestamp":
		g.usesTime = true
		return ptr + "time.Time", nil
	case "blob":
		return "[]byte", nil
	}
	return "", fmt.Errorf("shape %s has unsupported type %s", shape, s.Type)
}

// renderEnums emits each enum as named constants and a list of its values.
func (g *gen) renderEnums(b *bytes.Buffer) {
	names := make([]string, 0, len(g.enums))
	for n := range g.enums {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := g.m.Shapes[n]
		tn := goName(n)
		fmt.Fprintf(b, "// %s values (AWS enum %s).\nconst (\n", tn, n)
		seen := map[string]bool{}
		for _, v := range s.Enum {
			c := tn + enumIdent(v)
			if seen[c] {
				continue
			}
			seen[c] = true
			fmt.Fprintf(b, "\t%s = %q\n", c, v)
		}
		b.WriteString(")\n\n")
		fmt.Fprintf(b, "// %sValues lists the values the model allows for %s.\nvar %sValues = []string{", tn, n, tn)
		for i, v := range s.Enum {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%q", v)
		}
		b.WriteString("}\n\n")
	}
}

func signingName(md awsmodel.Metadata) string {
	if md.SigningName != "" {
		return md.SigningName
	}
	return md.EndpointPrefix
}

// goName makes an exported Go identifier of a model name.
func goName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// enumIdent turns an enum value such as "t2.micro" or "pendingAcceptance"
// into an identifier suffix ("T2Micro", "PendingAcceptance").
func enumIdent(v string) string {
	id := goName(v)
	if id == "" {
		return "Empty"
	}
	return id
}

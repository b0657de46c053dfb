// Package server is vpcemu's HTTP front: it finds which AWS service and
// operation a request is for, who sends it, decodes it with the service's
// protocol codec, runs the operation and encodes the answer. It also serves
// /_vpcemu/health, and routes vpcemu's own other paths to the handlers it is
// given.
package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
	"github.com/vpcemu/vpcemu/internal/idempotency"
	"github.com/vpcemu/vpcemu/internal/sigv4"
	"github.com/vpcemu/vpcemu/internal/store"
	"github.com/vpcemu/vpcemu/internal/unserved"
)

// Service is one AWS service the server answers for.
type Service struct {
	Spec    *awsproto.Spec
	Codec   awsproto.Codec
	Handler any
	// MapError turns the handler's errors into wire errors; nil means the
	// error is a bug, reported as InternalError.
	MapError func(error) *awsproto.Error
	// Renames are the codec's error codes this service answers under its
	// own (CloudWatch Logs words its validator's refusals
	// InvalidParameterException where other json services say
	// ValidationException).
	Renames map[string]string
}

// Config configures a Server.
type Config struct {
	Services    []*Service
	Idempotency *idempotency.Cache // nil: client tokens are not remembered
	Logger      *slog.Logger
	// MaxBodyBytes bounds a request body (default 10 MiB).
	MaxBodyBytes int64
	Version      string
	// Handlers answer vpcemu's own paths (OwnPrefix…), by path; a path
	// ending in / answers every path below it too (the web page). A request
	// reaches its handler with the caller in its context, found as for AWS
	// calls (awsproto.RequestFrom), and its body bounded by MaxBodyBytes.
	Handlers map[string]http.Handler
	// Keys, when set, map their access key ids to their accounts (a key id
	// not in Keys still acts as without them: 12 digits are that account).
	Keys *sigv4.Keys
	// VerifySignatures refuses, as AWS does, every request (but the health
	// check) whose SigV4 signature does not verify with Keys, which it
	// needs. Off, signatures are not checked and no time is spent on them.
	VerifySignatures bool
	// Sessions are the temporary credentials STS hands out; verified
	// requests may be signed with them too.
	Sessions *sigv4.Sessions
	// BeforeAnswer, when set, is called after a request with a client token
	// has committed and before it is answered: tests kill the server there.
	BeforeAnswer func(operation string)
	// Observer, when set, hears of every answered AWS request.
	Observer Observer
	// Metrics, when set, answers GET MetricsPath, unsigned like the health
	// check: scrapers do not sign.
	Metrics http.Handler
}

// Observer hears of every AWS request the server answers, for vpcemu's
// own metrics; its method must be quick and safe for concurrent use.
type Observer interface {
	// Request: an answer for service (its signing name, "unserved" for a
	// service vpcemu does not serve) and operation ("" when the request
	// names none the service has), with its HTTP status and AWS error code
	// ("" for a success), after d.
	Request(service, operation string, status int, code string, d time.Duration)
}

// MetricsPath is where Config.Metrics answers GET: Prometheus's usual
// path, outside OwnPrefix so scrapers need no setting. No AWS request
// vpcemu serves uses it (query and JSON services post to /, Route 53's
// paths start with its API version).
const MetricsPath = "/metrics"

// OwnPrefix starts the paths that are vpcemu's own, not AWS's.
const OwnPrefix = "/_vpcemu/"

// Server is an http.Handler.
type Server struct {
	cfg       Config
	bySigning map[string]*Service
	byVersion map[string]*Service
	byTarget  map[string]*Service // json protocol: X-Amz-Target prefix
	byPath    map[string]*Service // rest-xml protocol: "/<API version>/" starts its paths
	byRPCv2   map[string]*Service // rpcv2Cbor: the Smithy service name of /service/<name>/operation/…
	fallback  *Service
	served    []string // signing names and versions, for the refusal of other services
	log       *slog.Logger
	refusals  sync.Map        // refusalKey -> struct{}: those logged at info
	verify    *sigv4.Verifier // nil: signatures are not checked
}

// New returns a server for the configured services. The first query-family
// service is the fallback for unsigned requests that name no version.
func New(cfg Config) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 10 << 20
	}
	s := &Server{cfg: cfg, bySigning: map[string]*Service{}, byVersion: map[string]*Service{}, byTarget: map[string]*Service{}, byPath: map[string]*Service{}, byRPCv2: map[string]*Service{}, log: cfg.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if cfg.VerifySignatures {
		if cfg.Keys == nil {
			panic("server: VerifySignatures needs Keys")
		}
		s.verify = sigv4.NewVerifier(cfg.Keys, cfg.Sessions, nil)
	}
	for _, svc := range cfg.Services {
		s.bySigning[svc.Spec.SigningName] = svc
		s.byVersion[svc.Spec.APIVersion] = svc
		if svc.Spec.TargetPrefix != "" {
			s.byTarget[svc.Spec.TargetPrefix] = svc
		}
		if svc.Spec.Protocol == "rest-xml" {
			s.byPath["/"+svc.Spec.APIVersion+"/"] = svc
		}
		if svc.Spec.RPCv2Service != "" {
			s.byRPCv2[svc.Spec.RPCv2Service] = svc
		}
		s.served = append(s.served, svc.Spec.SigningName+" "+svc.Spec.APIVersion)
		if s.fallback == nil {
			s.fallback = svc
		}
	}
	return s
}

const healthPath = OwnPrefix + "health"

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == healthPath {
		s.health(w)
		return
	}
	if r.URL.Path == MetricsPath && s.cfg.Metrics != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		s.cfg.Metrics.ServeHTTP(w, r)
		return
	}
	if h := s.ownHandler(r.URL.Path); h != nil {
		s.own(w, r, h)
		return
	}
	start := time.Now()
	x := &exchange{lw: logWriter{ResponseWriter: w}}
	req, lw := &x.req, &x.lw
	cred, signed := s.identify(r, req)
	body, err := s.readBody(w, r)
	w = lw
	defer func() { s.answered(r.Context(), x, time.Since(start)) }()
	if signed && s.unserved(cred, r, body) {
		u := unserved.Parse(r, body, cred.Service)
		req.Service, req.Operation = cred.Service, u.Operation
		x.unserved = true
		e := u.Error(s.served)
		lw.refused(e)
		u.Write(w, e, req.ID)
		return
	}
	svc := s.route(r, cred, signed, body)
	if d, ok := svc.Codec.(awsproto.Dialects); ok {
		// The service speaks several protocols: this request's, throughout.
		one := *svc
		one.Codec = d.For(r)
		svc = &one
	}
	req.Service = svc.Spec.SigningName
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, svc, req, &awsproto.Error{Code: "RequestEntityTooLarge", Message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", s.cfg.MaxBodyBytes), Status: http.StatusRequestEntityTooLarge})
		} else {
			s.fail(w, svc, req, &awsproto.Error{Code: "IncompleteBody", Message: "The request body could not be read.", Status: http.StatusBadRequest})
		}
		return
	}
	if s.verify != nil {
		if _, err := s.verify.Verify(r, cred, signed, body); err != nil {
			s.fail(w, svc, req, authError(svc.Spec.Protocol, err))
			return
		}
	}
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		// Clients compress the bodies of operations the model marks
		// (requestcompression: CloudWatch's PutMetricData, from 10 KiB);
		// the signature is over the compressed body, checked above.
		if body, err = gunzip(body, s.cfg.MaxBodyBytes); err != nil {
			s.fail(w, svc, req, &awsproto.Error{Code: "IncompleteBody", Message: "The request body is not valid gzip, or holds more than " + strconv.FormatInt(s.cfg.MaxBodyBytes, 10) + " bytes: " + err.Error(), Status: http.StatusBadRequest})
			return
		}
	}

	decode := svc.Codec.Decode
	if c, ok := svc.Codec.(*query.Codec); ok {
		decode = c.DecodeChecked // EC2 refuses a request without its Version
	}
	op, in, err := decode(r, body, svc.Spec)
	if op != nil {
		req.Operation = op.Name
	}
	if err != nil {
		s.fail(w, svc, req, s.wireError(svc, req, err))
		return
	}
	req.DryRun = awsproto.DryRun(in)
	ctx := r.Context()

	if token, ok := awsproto.IdempotencyToken(in); ok && s.cfg.Idempotency != nil && !req.DryRun {
		s.replayable(ctx, w, svc, op, in, req, token)
	} else {
		s.invoke(ctx, w, svc, op, in, req)
	}
}

// exchange is what the server keeps of one request while it answers it,
// in one allocation.
type exchange struct {
	req awsproto.Request
	lw  logWriter
	// unserved: the request is for a service vpcemu does not serve.
	unserved bool
}

// readBody reads the request's body, at most MaxBodyBytes of it (a
// *http.MaxBytesError beyond). A body of declared length, as SDKs send, is
// read into a buffer of its size.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	n := r.ContentLength
	switch {
	case n > s.cfg.MaxBodyBytes:
		return nil, &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes}
	case n >= 0:
		// net/http ends the body at its declared length.
		body := make([]byte, n)
		_, err := io.ReadFull(r.Body, body)
		return body, err
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
}

// gunzip decompresses a gzip body, at most limit bytes of it.
func gunzip(body []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err == nil && int64(len(out)) > limit {
		err = errors.New("too long")
	}
	return out, err
}

// unserved reports whether a signed request is for a service vpcemu does
// not serve: one whose signing name it does not know, or a query request
// naming another API version of the same signing name (ELB classic is
// elasticloadbalancing 2012-06-01; vpcemu serves ELBv2, 2015-12-01).
func (s *Server) unserved(cred sigv4.Credential, r *http.Request, body []byte) bool {
	svc := s.bySigning[cred.Service]
	if svc == nil {
		return true
	}
	// Only then is the form read here: the codec reads it again, and most
	// signing names (sts) have one API version.
	if svc.Spec.Protocol != "query" || !unserved.OtherVersions(cred.Service, svc.Spec.APIVersion) {
		return false
	}
	p, err := query.ParseParams(r, body)
	if err != nil {
		return false
	}
	v, ok := p.Get("Version")
	return ok && v != svc.Spec.APIVersion && unserved.Known(cred.Service, v)
}

// ownHandler is the handler of one of vpcemu's own paths: the one of
// the path itself, else of the longest path ending in / that starts it.
func (s *Server) ownHandler(path string) http.Handler {
	if h := s.cfg.Handlers[path]; h != nil || !strings.HasPrefix(path, OwnPrefix) {
		return h
	}
	var best string
	for p := range s.cfg.Handlers {
		if strings.HasSuffix(p, "/") && strings.HasPrefix(path, p) && len(p) > len(best) {
			best = p
		}
	}
	return s.cfg.Handlers[best]
}

// identify finds who sends r: the account of its access key id (the
// credentials file's, else the key id's own 12 digits) and the region of
// its credential scope, else the defaults (an unsigned request, or a key id
// that names no account).
func (s *Server) identify(r *http.Request, req *awsproto.Request) (cred sigv4.Credential, signed bool) {
	*req = awsproto.Request{ID: newRequestID(), Account: awsproto.DefaultAccount, Region: awsproto.DefaultRegion}
	cred, signed = sigv4.FromRequest(r)
	if signed {
		req.AccessKey = cred.AccessKey
		if key, ok := s.lookup(cred.AccessKey); ok {
			req.Account = key.Account
		} else if acct, ok := sigv4.Account(cred.AccessKey); ok {
			req.Account = acct
		}
		if cred.Region != "" {
			req.Region = cred.Region
		}
	}
	return cred, signed
}

func (s *Server) lookup(accessKey string) (sigv4.Key, bool) {
	if s.cfg.Keys == nil {
		return sigv4.Key{}, false
	}
	return s.cfg.Keys.Lookup(accessKey)
}

// own runs one of vpcemu's own handlers, with the caller in the request's
// context as for AWS calls. With signatures verified, the body is read
// (bounded) and verified first, and the handler reads it from memory.
func (s *Server) own(w http.ResponseWriter, r *http.Request, h http.Handler) {
	req := &awsproto.Request{}
	cred, signed := s.identify(r, req)
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	if s.verify != nil {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			_, err = s.verify.Verify(r, cred, signed, body)
		}
		if err != nil {
			writeOwnError(w, err, s.cfg.MaxBodyBytes)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	h.ServeHTTP(w, r.WithContext(awsproto.WithRequest(r.Context(), req)))
}

// writeOwnError answers one of vpcemu's own paths with the JSON error its
// handlers use: a refused signature worded as EC2 words it.
func writeOwnError(w http.ResponseWriter, err error, limit int64) {
	e := authError(ec2Protocol, err)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		e = &awsproto.Error{Code: "RequestEntityTooLarge", Message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", limit), Status: http.StatusRequestEntityTooLarge}
	} else if e.Code == "InternalError" {
		e = &awsproto.Error{Code: "IncompleteBody", Message: "The request body could not be read.", Status: http.StatusBadRequest}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(map[string]string{"code": e.Code, "message": e.Message})
}

// invoke runs the operation and writes its answer; it reports success.
func (s *Server) invoke(ctx context.Context, w http.ResponseWriter, svc *Service, op *awsproto.Operation, in any, req *awsproto.Request) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("operation panicked", "operation", req.Operation, "request_id", req.ID, "panic", p, "stack", string(debug.Stack()))
			s.fail(w, svc, req, internalError())
			ok = false
		}
	}()
	out, err := op.Invoke(ctx, req, svc.Handler, in)
	if err == nil && req.DryRun {
		err = awsproto.DryRunOperation()
	}
	if err != nil {
		s.fail(w, svc, req, s.wireError(svc, req, err))
		return false
	}
	svc.Codec.Encode(w, svc.Spec, op, out, req.ID)
	return true
}

// replayable runs a request that carries a client token through the
// idempotency cache: what it creates and the answer the token remembers
// commit together.
func (s *Server) replayable(ctx context.Context, w http.ResponseWriter, svc *Service, op *awsproto.Operation, in any, req *awsproto.Request, token string) {
	params, _ := json.Marshal(in)
	var rec *recorder
	lw, _ := w.(*logWriter)
	answer, replayed, err := s.cfg.Idempotency.Do(ctx, store.Scope{Account: req.Account, Region: req.Region}, req.Operation, token, params, func(ctx context.Context) (idempotency.Answer, bool) {
		rec = &recorder{header: http.Header{}, log: lw} // fresh for each run
		if lw != nil {
			lw.code, lw.message = "", "" // nor does a retried run keep a refusal
		}
		ok := s.invoke(ctx, rec, svc, op, in, req)
		return idempotency.Answer{Status: rec.status, ContentType: rec.header.Get("Content-Type"), Body: rec.body.Bytes()}, ok
	})
	switch {
	case errors.Is(err, idempotency.ErrMismatch):
		s.fail(w, svc, req, awsproto.Errorf("IdempotentParameterMismatch", "Arguments on this idempotent request are inconsistent with arguments used in previous request(s)."))
		return
	case err != nil:
		// Not committed: answering what the request did would acknowledge
		// what is not kept.
		s.log.Error("idempotency store", "operation", req.Operation, "request_id", req.ID, "error", err)
		s.fail(w, svc, req, internalError())
		return
	}
	if s.cfg.BeforeAnswer != nil {
		s.cfg.BeforeAnswer(req.Operation)
	}
	if replayed {
		ct := answer.ContentType
		if ct == "" {
			ct = "text/xml;charset=UTF-8" // remembered before the type was kept: only XML services then
		}
		w.Header().Set("Content-Type", ct)
	} else {
		maps.Copy(w.Header(), rec.header)
	}
	w.WriteHeader(answer.Status)
	w.Write(answer.Body)
}

func (s *Server) wireError(svc *Service, req *awsproto.Request, err error) *awsproto.Error {
	var e *awsproto.Error
	if errors.As(err, &e) {
		return e
	}
	if svc.MapError != nil {
		if e := svc.MapError(err); e != nil {
			return e
		}
	}
	s.log.Error("operation failed", "operation", req.Operation, "request_id", req.ID, "error", err)
	return internalError()
}

func internalError() *awsproto.Error {
	return &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError}
}

func (s *Server) fail(w http.ResponseWriter, svc *Service, req *awsproto.Request, e *awsproto.Error) {
	if code, ok := svc.Renames[e.Code]; ok {
		e = &awsproto.Error{Code: code, Message: e.Message, Status: e.Status}
	}
	if e.Status >= 500 {
		s.log.Warn("server error", "operation", req.Operation, "request_id", req.ID, "code", e.Code)
	}
	if n, ok := w.(interface{ refused(*awsproto.Error) }); ok {
		n.refused(e)
	}
	svc.Codec.EncodeError(w, svc.Spec, e, req.ID)
}

// route finds the service a request is for: the service named in its
// credential scope, else the json-protocol service its X-Amz-Target names
// ("OvertureService.DescribeLocations"), else the rpcv2Cbor service its
// path names, else the rest-xml service whose
// API version starts its path (/2013-04-01/…), else the one whose API
// version it names, else the fallback.
func (s *Server) route(r *http.Request, cred sigv4.Credential, signed bool, body []byte) *Service {
	if signed {
		if svc := s.bySigning[cred.Service]; svc != nil {
			return svc
		}
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		prefix, _, _ := strings.Cut(target, ".")
		if svc := s.byTarget[prefix]; svc != nil {
			return svc
		}
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/service/"); ok {
		name, _, _ := strings.Cut(rest, "/")
		if svc := s.byRPCv2[name]; svc != nil {
			return svc // /service/GraniteServiceVersion20100801/operation/…: CloudWatch's
		}
	}
	if len(r.URL.Path) > 12 && r.URL.Path[11] == '/' {
		if svc := s.byPath[r.URL.Path[:12]]; svc != nil {
			return svc // /2013-04-01/hostedzone: Route 53's
		}
	}
	if p, err := query.ParseParams(r, body); err == nil {
		if v, ok := p.Get("Version"); ok {
			if svc := s.byVersion[v]; svc != nil {
				return svc
			}
		}
	}
	return s.fallback
}

func (s *Server) health(w http.ResponseWriter) {
	names := make([]string, 0, len(s.cfg.Services))
	for _, svc := range s.cfg.Services {
		names = append(names, svc.Spec.SigningName)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"status": "ok", "version": s.cfg.Version, "services": names})
}

// newRequestID makes a UUID-shaped request id.
func newRequestID() string {
	var b [16]byte
	hi, lo := rand.Uint64(), rand.Uint64()
	for i := 0; i < 8; i++ {
		b[i], b[8+i] = byte(hi>>(8*i)), byte(lo>>(8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hexd = "0123456789abcdef"
	var out strings.Builder
	out.Grow(36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out.WriteByte('-')
		}
		out.WriteByte(hexd[c>>4])
		out.WriteByte(hexd[c&0xf])
	}
	return out.String()
}

// recorder captures a response so it can be remembered and replayed.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	log    *logWriter // nil, or where the request's refusal is noted
}

func (r *recorder) refused(e *awsproto.Error) {
	if r.log != nil {
		r.log.refused(e)
	}
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

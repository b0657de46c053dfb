package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// logWriter notes the status and the error code of the answer it carries,
// for the request's log line.
type logWriter struct {
	http.ResponseWriter
	status  int
	code    string
	message string
}

func (w *logWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// refused notes the error the request is answered with.
func (w *logWriter) refused(e *awsproto.Error) { w.code, w.message = e.Code, e.Message }

// answered logs an answered request and tells the observer. A request for
// a service vpcemu does not serve is observed as "unserved", without its
// operation: the caller names both, and metrics keep every name they see.
func (s *Server) answered(ctx context.Context, x *exchange, d time.Duration) {
	s.logRequest(ctx, &x.req, &x.lw, d)
	if s.cfg.Observer == nil {
		return
	}
	service, operation := x.req.Service, x.req.Operation
	if x.unserved {
		service, operation = "unserved", ""
	}
	s.cfg.Observer.Request(service, operation, x.lw.answerStatus(), x.lw.code, d)
}

// answerStatus is the answer's status: 200 when none was written.
func (w *logWriter) answerStatus() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// refusalKey is what a refusal is logged once at info for.
type refusalKey struct{ service, operation, code string }

// logRequest logs an answered request: at debug every one, with its status
// and error code; at info a refusal (4xx) the first time its service,
// operation and code come together, so that a Terraform run that fails
// shows which call vpcemu refused and why without a line per retry. Server
// errors are logged where they happen (warn and error).
func (s *Server) logRequest(ctx context.Context, req *awsproto.Request, w *logWriter, d time.Duration) {
	status := w.answerStatus()
	if s.log.Enabled(ctx, slog.LevelDebug) { // spares building the record on every request
		s.log.Debug("request", "service", req.Service, "operation", req.Operation, "status", status, "code", w.code,
			"message", w.message, "account", req.Account, "region", req.Region, "request_id", req.ID, "duration", d)
		return
	}
	if status < 400 || status >= 500 || w.code == "" || w.code == "DryRunOperation" {
		return
	}
	if _, seen := s.refusals.LoadOrStore(refusalKey{req.Service, req.Operation, w.code}, struct{}{}); seen {
		return
	}
	s.log.Info("refused", "service", req.Service, "operation", req.Operation, "status", status, "code", w.code,
		"message", w.message, "request_id", req.ID, "note", "logged once per service, operation and code; --log-level debug logs every request")
}

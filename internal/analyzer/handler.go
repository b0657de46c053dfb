package analyzer

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Path is where the server answers analysis requests: POST a Request as
// JSON, get the engine's answer (Answer.JSON), or a 4xx Error.
const Path = "/_vpcemu/analyze"

// Error is the JSON body of a refused request, with an EC2 error code.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Handler answers analysis requests for the caller the request's context
// names (awsproto.RequestFrom: the server finds it from the signature as
// for AWS calls). Errors of the store are logged to log.
func Handler(c *cloud.Cloud, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			fail(w, &awsproto.Error{Code: "MethodNotAllowed", Message: fmt.Sprintf("%s takes POST with a JSON body, not %s.", Path, r.Method), Status: http.StatusMethodNotAllowed})
			return
		}
		req, perr := decodeRequest(r)
		if perr != nil {
			fail(w, perr)
			return
		}
		q, perr := req.Query()
		if perr != nil {
			fail(w, perr)
			return
		}
		id := awsproto.RequestFrom(r.Context())
		res, err := Analyze(r.Context(), c, cloud.Caller{Account: id.Account, Region: id.Region}, q)
		if err != nil {
			log.Error("analyze", "account", id.Account, "region", id.Region, "error", err)
			fail(w, &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(AnswerOf(res).JSON())
	})
}

// decodeRequest reads the request's JSON body: one object of Request's
// members only.
func decodeRequest(r *http.Request) (Request, *awsproto.Error) {
	var req Request
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return req, nil
	case errors.As(err, &tooBig):
		return req, &awsproto.Error{Code: "RequestEntityTooLarge", Message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", tooBig.Limit), Status: http.StatusRequestEntityTooLarge}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return req, awsproto.Errorf("UnknownParameter", "The parameter %s is not recognized", strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	}
	return req, awsproto.Errorf("SerializationException", "The request body is not a JSON object of the analyze request's members: %v", err)
}

// fail writes e as JSON with its status.
func fail(w http.ResponseWriter, e *awsproto.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(Error{Code: e.Code, Message: e.Message})
}

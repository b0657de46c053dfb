package analyzer

import (
	"log/slog"
	"net/http"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/controlapi"
)

// Path is where the server answers analysis requests: POST a Request as
// JSON, get the engine's answer (Answer.JSON), or a 4xx Error.
const Path = "/_vpcemu/analyze"

// Handler answers analysis requests for the caller the request's context
// names (awsproto.RequestFrom: the server finds it from the signature as
// for AWS calls). Errors of the store are logged to log.
func Handler(c *cloud.Cloud, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req Request
		who, perr := controlapi.Decode(r, &req, "of the analyze request's members")
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		q, perr := req.Query()
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		res, err := Analyze(r.Context(), c, who, q)
		if err != nil {
			log.Error("analyze", "account", who.Account, "region", who.Region, "error", err)
			controlapi.Fail(w, &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError})
			return
		}
		controlapi.Write(w, AnswerOf(res).JSON())
	})
}

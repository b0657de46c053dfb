// Package dxcontrol is vpcemu's control of the Direct Connect world that
// no AWS API reaches: it holds a connection or a virtual interface's BGP
// session in a state (vpcemu dx set-state), standing in for cross-connects
// being patched, fibre cuts and routers that stop answering, and takes
// the prefixes on premises advertises over a virtual interface (vpcemu dx
// advertise). The server answers at Path and AdvertisePath; the vpcemu
// command asks through Client.
package dxcontrol

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/service/directconnect"
)

// Path is where the server sets states: POST a SetState as JSON, get the
// State the resource shows now, or a 4xx Error.
const Path = "/_vpcemu/dx/set-state"

// SetState asks that the connection (dxcon-…) or virtual interface
// (dxvif-…) ID be held in State: requested (connections only), pending,
// available or down.
type SetState struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

// State is the answer: the state the resource shows now, which is not the
// one set when what it rests on is down (a VIF set available on a
// connection that is down shows down).
type State struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

// Error is a refusal: Direct Connect's error code and a message.
type Error = controlapi.Error

// Handler sets states for the caller the request's context names
// (awsproto.RequestFrom: the server finds it from the signature as for AWS
// calls), in the caller's account. Errors of the store are logged to log.
func Handler(f *dx.Service, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in SetState
		who, ok := decode(w, r, &in, func() bool { return in.ID != "" && in.State != "" },
			`{"id": "dxcon-…|dxvif-…", "state": "requested|pending|available|down"}`)
		if !ok {
			return
		}
		state, err := f.SetState(r.Context(), who, in.ID, in.State)
		answer(w, log, "dx set-state", in.ID, State{ID: in.ID, State: state}, err)
	})
}

// AdvertisePath is where the server takes what on premises advertises:
// POST an Advertise as JSON, get the VIF's Advertised, or a 4xx Error.
const AdvertisePath = "/_vpcemu/dx/advertise"

// Advertise says that on premises advertises Prefixes (IPv4 or IPv6
// CIDRs, at most 100; none withdraws them) over the BGP sessions of the
// private virtual interface ID, replacing what it advertised.
type Advertise struct {
	ID       string   `json:"id"`
	Prefixes []string `json:"prefixes"`
}

// Advertised is the answer: the VIF's state now and the prefixes it
// carries (the virtual private gateways behind it learn them while it is
// available with a BGP session up).
type Advertised struct {
	ID       string   `json:"id"`
	State    string   `json:"state"`
	Prefixes []string `json:"prefixes"`
}

// AdvertiseHandler takes what on premises advertises, for the caller as
// Handler finds it.
func AdvertiseHandler(f *dx.Service, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in Advertise
		who, ok := decode(w, r, &in, func() bool { return in.ID != "" && in.Prefixes != nil },
			`{"id": "dxvif-…", "prefixes": ["192.168.0.0/16", …]}`)
		if !ok {
			return
		}
		v, err := f.Advertise(r.Context(), who, in.ID, in.Prefixes)
		out := Advertised{ID: in.ID, Prefixes: []string{}}
		if v != nil {
			out.State = v.State
			out.Prefixes = append(out.Prefixes, v.Advertised...)
		}
		answer(w, log, "dx advertise", in.ID, out, err)
	})
}

// decode reads the request (see controlapi.Decode), complete when
// complete says so; otherwise it answers the refusal and reports false.
func decode(w http.ResponseWriter, r *http.Request, in any, complete func() bool, shape string) (cloud.Caller, bool) {
	who, err := controlapi.Decode(r, in, shape)
	if err == nil && !complete() {
		err = awsproto.Errorf("SerializationException", "The request body must be one JSON object %s.", shape)
	}
	if err != nil {
		controlapi.Fail(w, err)
		return cloud.Caller{}, false
	}
	return who, true
}

// answer writes out as JSON, or err as Direct Connect's error (a fault of
// the store is logged and hidden).
func answer(w http.ResponseWriter, log *slog.Logger, what, id string, out any, err error) {
	if err != nil {
		if e := directconnect.MapError(err); e != nil {
			controlapi.Fail(w, e)
			return
		}
		log.Error(what, "id", id, "error", err)
		controlapi.Fail(w, &awsproto.Error{Code: "DirectConnectServerException", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError})
		return
	}
	body, err := json.Marshal(out)
	if err != nil {
		panic(err) // the answers are plain structs
	}
	controlapi.Write(w, body)
}

// Client asks a running vpcemu to set states and advertise prefixes, as
// the caller its credentials name (see controlapi.Client).
type Client controlapi.Client

// SetState asks that a connection or virtual interface be held in state,
// and returns the state it shows now. A refusal is an *Error.
func (c *Client) SetState(ctx context.Context, id, state string) (string, error) {
	var out State
	if err := c.post(ctx, Path, SetState{ID: id, State: state}, &out); err != nil {
		return "", err
	}
	if out.State == "" {
		return "", errors.New(c.Endpoint + " answered what is not a state")
	}
	return out.State, nil
}

// Advertise says which prefixes on premises advertises over a virtual
// interface (none withdraws them), and returns the VIF as it is now. A
// refusal is an *Error.
func (c *Client) Advertise(ctx context.Context, id string, prefixes []string) (Advertised, error) {
	var out Advertised
	if prefixes == nil {
		prefixes = []string{}
	}
	if err := c.post(ctx, AdvertisePath, Advertise{ID: id, Prefixes: prefixes}, &out); err != nil {
		return out, err
	}
	if out.State == "" {
		return out, errors.New(c.Endpoint + " answered what is not a virtual interface")
	}
	return out, nil
}

// post sends in to path and decodes the answer into out.
func (c *Client) post(ctx context.Context, path string, in, out any) error {
	answer, err := (*controlapi.Client)(c).Post(ctx, path, "directconnect", in)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return errors.New(c.Endpoint + " answered what is not JSON: " + string(bytes.TrimSpace(answer)))
	}
	return nil
}

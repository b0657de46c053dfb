package costreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// Path is where a bill is asked for: POST a Request, get an Answer.
const Path = "/_vpcemu/cost"

// Request says what to price.
type Request struct {
	// Hours is the period (0: a month of the price file's hours).
	Hours float64 `json:"hours,omitempty"`
	// Account and Region keep only theirs ("": every account and region).
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// Usage is an Infracost usage file's text (it replaces the meters),
	// UsageName its name; TerraformState a terraform.tfstate's text, to find
	// the resources its addresses name.
	Usage          string `json:"usage,omitempty"`
	UsageName      string `json:"usageName,omitempty"`
	TerraformState string `json:"terraformState,omitempty"`
	// Prices is a price file's text, instead of vpcemu's.
	Prices string `json:"prices,omitempty"`
	// Compare prices traffic to AWS services the other way too.
	Compare bool `json:"compare,omitempty"`
	// EmitUsage answers the metered traffic as an Infracost usage file.
	EmitUsage bool `json:"emitUsage,omitempty"`
}

// Answer is a bill and what was asked with it.
type Answer struct {
	Bill *cost.Bill `json:"bill"`
	// Notes say what of a usage file was not used, and why.
	Notes       []string          `json:"notes,omitempty"`
	Comparisons []cost.Comparison `json:"comparisons,omitempty"`
	// InfracostUsage is the metered traffic as an Infracost usage file.
	InfracostUsage string `json:"infracostUsage,omitempty"`
}

// Meters reads the data plane's meters of every account; ok is false when
// the data plane is off.
type Meters func() (list dataplane.MeterList, ok bool)

// Handler answers Path.
func Handler(c *cloud.Cloud, meters Meters, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req Request
		who, perr := controlapi.Decode(r, &req, "of the cost request's members")
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		answer, err := Price(r.Context(), c, meters, who, req)
		var bad *awsproto.Error
		switch {
		case errors.As(err, &bad):
			controlapi.Fail(w, bad)
		case err != nil:
			log.Error("cost", "error", err)
			controlapi.Fail(w, &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError})
		default:
			out, _ := json.Marshal(answer)
			controlapi.Write(w, out)
		}
	})
}

// Price answers a request: a refusal of what is wrong with it is an
// *awsproto.Error.
func Price(ctx context.Context, c *cloud.Cloud, meters Meters, who cloud.Caller, req Request) (*Answer, error) {
	invalid := func(format string, args ...any) error {
		return awsproto.Errorf("InvalidParameterValue", format, args...)
	}
	prices := cost.DefaultPrices()
	if req.Prices != "" {
		var err error
		if prices, err = cost.LoadPrices(strings.NewReader(req.Prices)); err != nil {
			return nil, invalid("%v", err)
		}
	}
	if req.Hours < 0 {
		return nil, invalid("The period must be a positive number of hours, not %g.", req.Hours)
	}
	opts := cost.Options{Hours: req.Hours, Account: req.Account, Region: req.Region}
	if opts.Hours == 0 {
		opts.Hours = prices.HoursPerMonth
	}
	inv, err := ReadInventory(ctx, c)
	if err != nil {
		return nil, err
	}
	var ids map[string]string
	if req.TerraformState != "" {
		if ids, err = cost.ReadTerraformState(strings.NewReader(req.TerraformState)); err != nil {
			return nil, invalid("%v", err)
		}
	}
	answer := &Answer{}
	var usage *cost.Usage
	if req.EmitUsage || req.Usage == "" { // a usage file replaces the meters
		if metered, on := meters(); on {
			usage = UsageFromMeters(metered, inv, time.Now())
		}
	}
	if req.EmitUsage {
		if usage == nil {
			return nil, awsproto.Errorf("DataPlaneOff", "There are no meters to write a usage file from: the data plane is off.")
		}
		addresses := map[string]string{}
		for addr, id := range ids {
			addresses[id] = addr
		}
		var b strings.Builder
		header := "Infracost usage file written by vpcemu cost --emit-infracost-usage from the traffic " + usage.Source + ".\nThe figures are the bytes carried, not a month's projection."
		if err := cost.WriteInfracostUsage(&b, usage, inv, addresses, header); err != nil {
			return nil, err
		}
		answer.InfracostUsage = b.String()
	}
	if req.Usage != "" {
		in := cost.UsageFileInput{Name: req.UsageName, IDs: ids, Account: who.Account, Region: who.Region, Scale: opts.Hours / prices.HoursPerMonth}
		if usage, answer.Notes, err = cost.ReadInfracostUsage(strings.NewReader(req.Usage), inv, in); err != nil {
			return nil, invalid("%v", err)
		}
	}
	if usage == nil {
		usage = &cost.Usage{Source: "no traffic: the data plane is off and no usage file was given"}
	}
	answer.Bill = cost.Compute(inv, usage, prices, opts)
	if req.Compare {
		var notes []string
		answer.Comparisons, notes = cost.Compare(inv, usage, prices, opts)
		answer.Notes = append(answer.Notes, notes...)
		if len(usage.Services) == 0 {
			answer.Notes = append(answer.Notes, fmt.Sprintf("compare: no traffic to AWS services in %s", usage.Source))
		}
	}
	return answer, nil
}

// LinesOf are one resource's lines of a month's bill (traffic as
// metered), for the web view's details; none when it is not priced.
func LinesOf(ctx context.Context, c *cloud.Cloud, meters Meters, id string) []cost.Line {
	a, err := Price(ctx, c, meters, cloud.Caller{}, Request{})
	if err != nil {
		return nil
	}
	var out []cost.Line
	for _, l := range a.Bill.Lines {
		if l.Resource == id {
			out = append(out, l)
		}
	}
	return out
}

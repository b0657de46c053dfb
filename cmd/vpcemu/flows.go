package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// flowsCommand lists the flows the data plane carries now for the
// caller's instances, like ss for the emulated network.
func flowsCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("flows", "[--meters] [--json]", stderr)
	asJSON := fs.Bool("json", false, "print the server's JSON answer")
	showMeters := fs.Bool("meters", false, "what each resource and each path has carried since the server started, instead of the flows carried now")
	endpointURL := endpointFlag(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := noArguments(fs); err != nil {
		return err
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	path := dataplane.FlowsPath
	if *showMeters {
		path = dataplane.MetersPath
	}
	answer, err := (*controlapi.Client)(awsClient(endpoint)).Post(context.Background(), path, "ec2", struct{}{})
	if err != nil {
		return askFailure(endpoint, err, 2)
	}
	if *asJSON {
		stdout.Write(answer)
		return nil
	}
	if *showMeters {
		return printMeters(answer, endpoint, stdout)
	}
	var list dataplane.FlowList
	if err := json.Unmarshal(answer, &list); err != nil {
		return exitStatus{2, fmt.Errorf("%s answered what is not a list of flows", endpoint)}
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PROTO\tFROM\tSRC\tDST\tTO\tDELIVERED\tAS\tOUT\tIN\tAGE\tPATH")
	for _, f := range list.Flows {
		from, to := f.Instance, f.To
		if from == "" && len(f.Path) > 0 && strings.HasPrefix(f.Path[0], "dxvif-") {
			from = "(on premises)"
		}
		switch {
		case to == "" && len(f.Path) > 0 && strings.HasPrefix(f.Path[len(f.Path)-1], "dxvif-"):
			to = "(on premises)"
		case to == "":
			to = "(internet)"
		}
		state := ""
		if f.Stalled {
			state = " (stalled)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s%s\n", f.Protocol, from, f.Src, f.Dst, to, f.Delivered, f.Source,
			f.BytesOut, f.BytesIn, time.Since(f.Started).Truncate(time.Second), strings.Join(f.Path, " > "), state)
	}
	return w.Flush()
}

// printMeters prints MetersPath's answer: the resources, then the paths.
func printMeters(answer []byte, endpoint string, stdout io.Writer) error {
	var list dataplane.MeterList
	if err := json.Unmarshal(answer, &list); err != nil {
		return exitStatus{2, fmt.Errorf("%s answered what is not a list of meters", endpoint)}
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "RESOURCE\tREGION\tCONNECTIONS\tDROPPED\tBYTES OUT\tBYTES IN\tPACKETS OUT\tPACKETS IN")
	for _, m := range list.Resources {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", m.Resource, m.Region, m.Connections, m.Dropped, m.BytesOut, m.BytesIn, m.PacketsOut, m.PacketsIn)
	}
	fmt.Fprintln(w, "\nFROM\tTO\tTHROUGH\tCONNECTIONS\tBYTES OUT\tBYTES IN")
	for _, p := range list.Paths {
		to, through := p.ToZone, strings.Join(p.Through, " > ")
		if p.ToRegion == "" {
			to = "(beyond AWS)"
		}
		if through == "" {
			through = "(within the VPC)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\n", p.FromZone, to, through, p.Connections, p.BytesOut, p.BytesIn)
	}
	return w.Flush()
}

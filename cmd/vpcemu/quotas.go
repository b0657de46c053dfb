package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// listQuotas prints the quotas `serve --quota` can set.
func listQuotas(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("quotas", "", stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSERVICE\tDEFAULT\tDESCRIPTION")
	for _, q := range cloud.Quotas() {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", q.Name, q.Service, q.Default, q.Doc)
	}
	return w.Flush()
}

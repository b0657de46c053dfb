package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/costreport"
)

// costCommand prints what the configuration and its traffic cost, each
// price with its source.
func costCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cost", "[--account A] [--region R] [--hours N | --month] [--usage FILE [--tfstate FILE]] [--prices FILE] [--compare] [--emit-infracost-usage FILE] [--json]", stderr)
	account := fs.String("account", "", "only this account's resources and traffic (default: every account)")
	region := fs.String("region", "", "only this region's (default: every region)")
	hours := fs.Float64("hours", 0, "price hourly resources over `N` hours (default: a month, 730 hours)")
	month := fs.Bool("month", false, "price a month of 730 hours (the default)")
	usagePath := fs.String("usage", "", "an Infracost usage `FILE` (version 0.1) whose monthly figures replace the metered traffic")
	statePath := fs.String("tfstate", "", "a terraform.tfstate `FILE`, to find the resources a usage file names by Terraform address (default: ./terraform.tfstate when there is one)")
	pricesPath := fs.String("prices", "", "a price `FILE` to use instead of vpcemu's (same format)")
	compare := fs.Bool("compare", false, "also price each flow to an AWS service the other way: through a NAT gateway or through an endpoint")
	emit := fs.String("emit-infracost-usage", "", "write the metered traffic as an Infracost usage `FILE` (- for standard output) and print nothing else")
	asJSON := fs.Bool("json", false, "print the server's JSON answer")
	endpointURL := endpointFlag(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := noArguments(fs); err != nil {
		return err
	}
	if *month && *hours != 0 {
		return usageError{errors.New("give --hours or --month, not both")}
	}
	if *hours < 0 {
		return usageError{fmt.Errorf("--hours must be positive, not %g", *hours)}
	}
	req := costreport.Request{Hours: *hours, Account: *account, Region: *region, Compare: *compare, EmitUsage: *emit != ""}
	read := func(path string) (string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", exitStatus{2, err}
		}
		return string(b), nil
	}
	var err error
	if *usagePath != "" {
		if req.Usage, err = read(*usagePath); err != nil {
			return err
		}
		req.UsageName = filepath.Base(*usagePath)
	}
	if *pricesPath != "" {
		if req.Prices, err = read(*pricesPath); err != nil {
			return err
		}
	}
	state := *statePath
	if state == "" && (*usagePath != "" || *emit != "") {
		if _, err := os.Stat("terraform.tfstate"); err == nil {
			state = "terraform.tfstate"
		}
	}
	if state != "" {
		if req.TerraformState, err = read(state); err != nil {
			return err
		}
	}
	endpoint, err := serverEndpoint(*endpointURL, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	answer, err := (*controlapi.Client)(awsClient(endpoint)).Post(context.Background(), costreport.Path, "ec2", req)
	if err != nil {
		return askFailure(endpoint, err, 2)
	}
	if *asJSON {
		stdout.Write(answer)
		return nil
	}
	var a costreport.Answer
	if err := json.Unmarshal(answer, &a); err != nil || a.Bill == nil {
		return exitStatus{2, fmt.Errorf("%s answered what is not a bill", endpoint)}
	}
	if *emit != "" {
		if *emit == "-" {
			_, err := io.WriteString(stdout, a.InfracostUsage)
			return err
		}
		if err := os.WriteFile(*emit, []byte(a.InfracostUsage), 0o644); err != nil {
			return exitStatus{2, err}
		}
		fmt.Fprintf(stderr, "vpcemu: wrote %s\n", *emit)
		return nil
	}
	printBill(stdout, &a)
	return nil
}

// printBill prints a bill as a table per account, then the comparisons,
// then the sources its prices came from.
func printBill(out io.Writer, a *costreport.Answer) {
	b := a.Bill
	period := fmt.Sprintf("%s hours", number(b.Hours))
	if b.Hours == 730 {
		period = "a month (730 hours)"
	}
	fmt.Fprintf(out, "Period: %s. Prices: US dollars, on demand, checked %s.\nTraffic: %s.\n", period, b.PricesChecked, b.Usage)
	var sources []string
	ref := func(source string) string {
		if source == "" {
			return ""
		}
		i := 0
		for i < len(sources) && sources[i] != source {
			i++
		}
		if i == len(sources) {
			sources = append(sources, source)
		}
		return "[" + strconv.Itoa(i+1) + "]"
	}
	for _, acct := range b.Accounts {
		fmt.Fprintf(out, "\nAccount %s\n", acct.Account)
		w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "RESOURCE\tREGION\tCHARGE\tQUANTITY\tUNIT\tRATE\tAMOUNT\tSOURCE")
		last := ""
		for _, l := range b.Lines {
			if l.Account != acct.Account {
				continue
			}
			name := cmp.Or(l.Resource, "data transfer")
			if _, lb, ok := strings.Cut(name, ":loadbalancer/"); ok {
				name = lb // net/api/…: the ARN's part that names it
			}
			if l.Name != "" && !strings.Contains(name, l.Name) {
				name += " (" + l.Name + ")"
			}
			if name == last {
				name = ""
			} else {
				last = name
			}
			if l.Free {
				fmt.Fprintf(w, "%s\t%s\t%s\t\t\t\t%s\t%s\n", name, l.Region, l.What, "free", ref(l.Source))
				continue
			}
			star := ""
			if l.Usage {
				star = " *"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s%s\t%s\n", name, l.Region, l.What, number(l.Quantity), l.Unit, rate(l.Rate), dollars(l.Amount), star, ref(l.Source))
		}
		w.Flush()
		fmt.Fprintf(out, "Total for %s: %s (resources %s, traffic %s)\n", acct.Account, dollars(acct.Total), dollars(acct.Hourly), dollars(acct.Usage))
	}
	if len(a.Comparisons) > 0 {
		fmt.Fprintln(out, "\nThe same traffic the other way:")
		w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "VPC\tSERVICE\tGB\tNOW\tCOST\tINSTEAD\tCOST\tSAVES")
		for _, c := range a.Comparisons {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.VPC, c.Service, number(c.GB), c.Now.Via, routeCost(c.Now), c.Instead.Via, routeCost(c.Instead), dollars(c.Saves))
		}
		w.Flush()
	}
	for _, n := range append(b.Unpriced, a.Notes...) {
		fmt.Fprintln(out, "note:", n)
	}
	if len(sources) > 0 {
		fmt.Fprintln(out, "\nSources:")
		for i, s := range sources {
			fmt.Fprintf(out, "[%d] %s\n", i+1, s)
		}
	}
	fmt.Fprintf(out, "\nOVERALL TOTAL: %s   (* from traffic)\n", dollars(b.Total))
}

// routeCost is a route's total, with what it is made of.
func routeCost(r cost.Route) string {
	s := dollars(r.Total) + " (data " + dollars(r.Data)
	if r.Fixed > 0 {
		s += " + " + dollars(r.Fixed) + " for " + r.Note
	} else if r.Note != "" {
		s += "; " + r.Note
	}
	return s + ")"
}

// dollars is an amount as a bill shows it: in cents ("<$0.01" for an
// amount that is not zero but rounds to it).
func dollars(v float64) string {
	if v > 0 && v < 0.005 {
		return "<$0.01"
	}
	s := thousands(strconv.FormatFloat(v, 'f', 2, 64))
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		return "-$" + rest
	}
	return "$" + s
}

// thousands groups the whole part of a decimal number by threes.
func thousands(s string) string {
	sign, digits := "", s
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		sign, digits = "-", rest
	}
	whole, frac, dot := strings.Cut(digits, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if dot {
		return sign + whole + "." + frac
	}
	return sign + whole
}

// rate is a price per unit: cents at least, more places where it has them.
func rate(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if whole, frac, _ := strings.Cut(s, "."); len(frac) < 2 {
		s = whole + "." + (frac + "00")[:2]
	}
	return "$" + s
}

// number is a quantity without needless places.
func number(v float64) string {
	if v > 0 && v < 0.001 { // two significant digits, without an exponent
		return strconv.FormatFloat(v, 'f', 1-int(math.Floor(math.Log10(v))), 64)
	}
	return thousands(strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 4, 64), "0"), "."))
}

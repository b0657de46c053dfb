package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/webview"
)

// uiCommand prints the address of a running vpcemu's web page, for the
// account and region of the AWS environment variables, and opens it in
// the desktop's browser when there is one.
func uiCommand(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ui", "[--no-open]", stderr)
	noOpen := fs.Bool("no-open", false, "only print the address")
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
	page := pageURL(endpoint, os.Getenv)
	// Say so now when nothing answers there, rather than in the browser.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/_vpcemu/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return askFailure(endpoint, err, 2)
	}
	resp.Body.Close()
	fmt.Fprintln(stdout, page)
	if *noOpen {
		return nil
	}
	if opener := browserOpener(os.Getenv, exec.LookPath); opener != "" {
		cmd := exec.Command(opener, page)
		if err := cmd.Start(); err == nil {
			go cmd.Wait()
			return nil
		}
	}
	fmt.Fprintln(stderr, "no browser to open it with ($BROWSER, xdg-open or open): open the address above")
	return nil
}

// pageURL is the web page of the vpcemu at endpoint, showing the account
// of a 12-digit AWS_ACCESS_KEY_ID (else the page's default) in AWS_REGION.
func pageURL(endpoint string, getenv func(string) string) string {
	q := url.Values{}
	if key := getenv("AWS_ACCESS_KEY_ID"); arn.IsAccount(key) {
		q.Set("account", key)
	}
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	if region != "" && region != awsproto.DefaultRegion || q.Has("account") {
		q.Set("region", cmp.Or(region, awsproto.DefaultRegion))
	}
	u := strings.TrimSuffix(endpoint, "/") + webview.Path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// browserOpener is the program that opens a URL in the desktop's
// browser: $BROWSER, else xdg-open, else open (macOS); "" for none.
func browserOpener(getenv func(string) string, look func(string) (string, error)) string {
	if b := getenv("BROWSER"); b != "" {
		return b
	}
	for _, name := range []string{"xdg-open", "open"} {
		if p, err := look(name); err == nil {
			return p
		}
	}
	return ""
}

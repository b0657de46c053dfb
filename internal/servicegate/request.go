// Package servicegate is the door of the AWS services the data plane
// reaches: a connection that ends at an AWS service (through a gateway or
// interface endpoint) and has a local upstream is served here. It speaks
// TLS with a certificate of vpcemu's local CA for the service's name,
// reads each HTTP request's IAM action, resource and principal, asks the
// caller whether the endpoint's policy allows it, and forwards it to the
// upstream or answers AWS's AccessDenied.
package servicegate

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// Request is what an endpoint policy is asked about one request.
type Request struct {
	Action    string // s3:GetObject
	Resource  string // arn:aws:s3:::bucket/key, or * when the request names none vpcemu reads
	Principal string // arn:aws:iam::111111111111:root, or "" when unsigned
	// Protocol is how the service answers: rest-xml, json or query.
	Protocol string
}

// iamPrefixes are the services whose IAM prefix is not their endpoint
// name's first label.
var iamPrefixes = map[string]string{
	"monitoring":     "cloudwatch",
	"email":          "ses",
	"git-codecommit": "codecommit",
	"api.ecr":        "ecr",
	"dkr.ecr":        "ecr",
	"ecr.api":        "ecr",
	"ecr.dkr":        "ecr",
}

// IAMPrefix is the IAM prefix of an endpoint service
// (com.amazonaws.us-east-1.s3 → s3, …ecr.api → ecr).
func IAMPrefix(serviceName string) string {
	name := serviceName
	if rest, ok := strings.CutPrefix(name, "com.amazonaws."); ok {
		if _, svc, ok := strings.Cut(rest, "."); ok {
			name = svc
		}
	}
	if p, ok := iamPrefixes[name]; ok {
		return p
	}
	first, _, _ := strings.Cut(name, ".")
	return first
}

// Classify reads a request to service (an IAM prefix). It reads a query
// request's form body and puts it back.
func Classify(service string, r *http.Request) Request {
	req := Request{Resource: "*", Principal: principal(r)}
	switch {
	case service == "s3":
		req.Protocol = "rest-xml"
		req.Action, req.Resource = s3Action(r)
		req.Action = "s3:" + req.Action
		return req
	case r.Header.Get("X-Amz-Target") != "":
		req.Protocol = "json"
		t := r.Header.Get("X-Amz-Target")
		req.Action = service + ":" + t[strings.LastIndexByte(t, '.')+1:]
		return req
	}
	req.Protocol = "query"
	action := r.URL.Query().Get("Action")
	if action == "" && r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		if form, err := url.ParseQuery(string(body)); err == nil {
			action = form.Get("Action")
		}
	}
	req.Action = service + ":" + action
	return req
}

// principal is the signer of a request, as the root of the account its
// access key names (vpcemu's accounts are their 12-digit key ids).
func principal(r *http.Request) string {
	c, ok := sigv4.FromRequest(r)
	if !ok {
		return ""
	}
	if account, ok := sigv4.Account(c.AccessKey); ok {
		return arn.Root(account)
	}
	return ""
}

// s3Action is the IAM action and resource of an S3 REST request, in
// path or virtual-hosted style.
func s3Action(r *http.Request) (action, resource string) {
	bucket, key := s3Target(r)
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	if bucket == "" {
		return "ListAllMyBuckets", "*"
	}
	bucketARN := "arn:aws:s3:::" + bucket
	if key == "" {
		switch {
		case has("policy"):
			return verb(r.Method, "GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy"), bucketARN
		case has("acl"):
			return verb(r.Method, "GetBucketAcl", "PutBucketAcl", ""), bucketARN
		case has("tagging"):
			return verb(r.Method, "GetBucketTagging", "PutBucketTagging", "PutBucketTagging"), bucketARN
		case has("versioning"):
			return verb(r.Method, "GetBucketVersioning", "PutBucketVersioning", ""), bucketARN
		case has("location"):
			return "GetBucketLocation", bucketARN
		case has("uploads"):
			return "ListBucketMultipartUploads", bucketARN
		case has("delete") && r.Method == http.MethodPost:
			return "DeleteObject", bucketARN + "/*"
		case has("versions"):
			return "ListBucketVersions", bucketARN
		}
		return verb(r.Method, "ListBucket", "CreateBucket", "DeleteBucket"), bucketARN
	}
	objectARN := bucketARN + "/" + key
	switch {
	case has("acl"):
		return verb(r.Method, "GetObjectAcl", "PutObjectAcl", ""), objectARN
	case has("tagging"):
		return verb(r.Method, "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging"), objectARN
	case has("uploadId") && r.Method == http.MethodDelete:
		return "AbortMultipartUpload", objectARN
	case has("uploadId") && r.Method == http.MethodGet:
		return "ListMultipartUploadParts", objectARN
	case has("uploads") || has("uploadId"):
		return "PutObject", objectARN
	}
	return verb(r.Method, "GetObject", "PutObject", "DeleteObject"), objectARN
}

// verb picks an action by method: GET and HEAD read, PUT and POST write.
func verb(method, read, write, del string) string {
	switch method {
	case http.MethodPut, http.MethodPost:
		return write
	case http.MethodDelete:
		return del
	}
	return read
}

// s3Target is the bucket and key a request names: from a virtual-hosted
// Host (bucket.s3.region.amazonaws.com) or the path (/bucket/key).
func s3Target(r *http.Request) (bucket, key string) {
	host := strings.ToLower(r.Host)
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	path := strings.TrimPrefix(r.URL.Path, "/")
	if i := strings.Index(host, ".s3."); i > 0 {
		return host[:i], path
	}
	if i := strings.Index(host, ".s3-"); i > 0 {
		return host[:i], path
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

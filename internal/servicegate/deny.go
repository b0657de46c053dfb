package servicegate

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
)

// denied answers a request an endpoint policy does not allow, as the
// service would: AccessDenied with AWS's sentence naming the policy, in the
// service's protocol.
func denied(w http.ResponseWriter, req Request, decision string) {
	who := req.Principal
	if who == "" {
		who = "anonymous"
	}
	why := "because no VPC endpoint policy allows the " + req.Action + " action"
	if decision == "ExplicitDeny" {
		why = "with an explicit deny in a VPC endpoint policy"
	}
	msg := fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %q %s", who, req.Action, req.Resource, why)
	id := requestID()
	w.Header().Set("X-Amzn-Requestid", id)
	switch req.Protocol {
	case "json":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}{"AccessDeniedException", msg})
	case "rest-xml":
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		body, _ := xml.Marshal(struct {
			XMLName   xml.Name `xml:"Error"`
			Code      string
			Message   string
			RequestID string `xml:"RequestId"`
			HostID    string `xml:"HostId"`
		}{Code: "AccessDenied", Message: msg, RequestID: id, HostID: id})
		w.Write(append([]byte(xml.Header), body...))
	default:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		body, _ := xml.Marshal(struct {
			XMLName xml.Name `xml:"ErrorResponse"`
			Error   struct {
				Type, Code, Message string
			}
			RequestID string `xml:"RequestId"`
		}{Error: struct{ Type, Code, Message string }{"Sender", "AccessDenied", msg}, RequestID: id})
		w.Write(append([]byte(xml.Header), body...))
	}
}

func requestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

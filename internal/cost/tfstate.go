package cost

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// ReadTerraformState maps the Terraform addresses of a state file (format
// version 4, what `terraform apply` writes to terraform.tfstate) to their
// resources' ids, so that a usage file keyed by address finds them.
func ReadTerraformState(r io.Reader) (map[string]string, error) {
	var st struct {
		Version   int `json:"version"`
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any `json:"index_key"`
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.NewDecoder(r).Decode(&st); err != nil {
		return nil, fmt.Errorf("terraform state: %w", err)
	}
	if st.Version != 4 {
		return nil, fmt.Errorf("terraform state: format version %d; vpcemu reads version 4", st.Version)
	}
	ids := map[string]string{}
	for _, res := range st.Resources {
		if res.Mode != "managed" {
			continue
		}
		base := res.Type + "." + res.Name
		if res.Module != "" {
			base = res.Module + "." + base
		}
		for _, in := range res.Instances {
			addr := base
			switch k := in.IndexKey.(type) {
			case float64:
				addr += "[" + strconv.FormatFloat(k, 'f', -1, 64) + "]"
			case string:
				addr += "[" + strconv.Quote(k) + "]"
			}
			ids[addr] = in.Attributes.ID
		}
	}
	return ids, nil
}

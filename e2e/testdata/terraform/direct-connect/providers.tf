# The second account of this configuration, beside vpcemu.tf's default
# provider (the connection's and the Direct Connect gateway's owner,
# account 111111111111 in us-east-1): the customer, who proposes its
# virtual private gateway to the gateway and accepts a hosted VIF.

provider "aws" {
  alias      = "customer"
  region     = "us-east-1"
  access_key = "222222222222"
  secret_key = "test"

  allowed_account_ids         = ["222222222222"]
  skip_credentials_validation = false
  skip_requesting_account_id  = false
  skip_metadata_api_check     = true
  max_retries                 = 5

  endpoints {
    directconnect = var.endpoint
    ec2           = var.endpoint
    elbv2         = var.endpoint
    iam           = var.endpoint
    logs          = var.endpoint
    route53       = var.endpoint
    sts           = var.endpoint
  }
}

# The accounts and regions of this configuration, beside vpcemu.tf's
# default provider (account 111111111111 in us-east-1): the peer account
# 222222222222 in us-east-1, and the same peer account in us-west-2.

provider "aws" {
  alias      = "peer"
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

provider "aws" {
  alias      = "peer_west"
  region     = "us-west-2"
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

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

provider "aws" {
  alias  = "sa"
  region = "sa-east-1"
}

resource "aws_s3_bucket" "events" {
  provider = aws.us
  bucket   = "shop-events"
}

resource "aws_dynamodb_table" "orders" {
  provider     = aws.sa
  name         = "orders"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
  attribute {
    name = "id"
    type = "S"
  }
}

locals {
  bucket = aws_s3_bucket.events.id
}

resource "aws_lambda_function" "ingest" {
  function_name = "ingest"
  role          = "arn:aws:iam::123456789012:role/ingest"
  environment {
    variables = {
      BUCKET = local.bucket
      TABLE  = aws_dynamodb_table.orders.name
    }
  }
}

resource "aws_instance" "worker" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "t3.micro"
  availability_zone = "us-east-2a"
  user_data         = "aws s3 cp s3://${aws_s3_bucket.events.bucket}/x ."
}

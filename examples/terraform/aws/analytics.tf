# Click events land in a bucket in us-east-1 (where the data team lives),
# but the exporter runs in the default region.
resource "aws_s3_bucket" "events" {
  provider = aws.us
  bucket   = "shop-click-events"
  tags     = local.tags
}

resource "aws_lambda_function" "export" {
  function_name = "click-export"
  role          = "arn:aws:iam::123456789012:role/click-export"
  runtime       = "python3.12"
  handler       = "export.handler"
  filename      = "export.zip"

  environment {
    variables = {
      EVENTS_BUCKET = aws_s3_bucket.events.bucket
    }
  }

  tags = local.tags
}

# IAM objects are global and free; the other types take no tags.
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_route53_record" "www" {
  zone_id = "Z0123456789"
  name    = "www.example.com"
  type    = "CNAME"
  ttl     = 300
  records = ["shop.example.com"]
}

resource "google_project_iam_member" "viewer" {
  project = "shop-4711"
  role    = "roles/viewer"
  member  = "group:team@example.com"
}

resource "azurerm_role_assignment" "reader" {
  scope                = "/subscriptions/0000"
  role_definition_name = "Reader"
  principal_id         = "00000000-0000-0000-0000-000000000000"
}

resource "null_resource" "noop" {}

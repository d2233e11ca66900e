ci_type = "c5.24xlarge"

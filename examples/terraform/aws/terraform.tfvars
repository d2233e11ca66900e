environment      = "staging"
data_volume_type = "gp2"

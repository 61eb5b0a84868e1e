"""Pages of the welfare program: phone pages for workers and redeemers, workflow pages for officers."""

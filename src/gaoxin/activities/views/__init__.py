"""Pages of the activities program: phone pages for workers, workflow pages for officers."""

"""The claim engine: the verdict rubric, the arithmetic, and each chapter's claims as functions of
the evidence known on a date (`aibet.data.evidence`) and the parameters."""

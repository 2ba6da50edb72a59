"""Each chapter's charts, drawn from what its claims return (a judgement's frame and facts)."""

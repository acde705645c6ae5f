"""Results as plain data: `Finding`, `Citation`, `Explanation`, `Assessment`, and their
explanations in words (`explain`)."""

"""WordPress WXR in and out."""

"""One module per group of Calendly operations; each class is a client attribute."""

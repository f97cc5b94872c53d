"""The contract document, plain Python: legal rules, template context, rendering, evidence."""

from django.core.exceptions import ValidationError


def errors_to_form(form, error: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or on the form when no field matches)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)

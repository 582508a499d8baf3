"""Drives the API with the official stripe-python client (Debian's python3-stripe, 5.0.0),
which encodes booleans as `True`/`False`. Prints one JSON line per step: the step's name and
either the body the client received or the error Stripe's error type carries."""
import json
import sys

import stripe

stripe.api_key = sys.argv[2]
stripe.api_base = sys.argv[1]
stripe.max_network_retries = 0


def emit(step, obj=None, error=None):
    line = {"step": step}
    if obj is not None:
        line["body"] = obj.last_response.data if obj.last_response else obj.to_dict_recursive()
    if error is not None:
        line["error"] = {
            "type": type(error).__name__,
            "status": error.http_status,
            "param": getattr(error, "param", None),
            "message": error.user_message,
        }
    print(json.dumps(line), flush=True)


def attempt(step, call):
    try:
        obj = call()
        emit(step, obj)
        return obj
    except stripe.error.StripeError as error:
        emit(step, error=error)
        return None


customer = attempt("customer", lambda: stripe.Customer.create(email="py@example.com"))
draft = attempt(
    "invoice auto_advance=False",
    lambda: stripe.Invoice.create(customer=customer.id, auto_advance=False, collection_method="send_invoice", days_until_due=30),
)
attempt(
    "invoiceitem discountable=False",
    lambda: stripe.InvoiceItem.create(
        customer=customer.id, invoice=draft.id, amount=1500, currency="usd", discountable=False
    ),
)
attempt("finalize auto_advance=True", lambda: stripe.Invoice.finalize_invoice(draft.id, auto_advance=True))
attempt("pay paid_out_of_band=True", lambda: stripe.Invoice.pay(draft.id, paid_out_of_band=True))
attempt("product shippable=False", lambda: stripe.Product.create(name="Widget", shippable=False))
attempt("products active=True", lambda: stripe.Product.list(active=True, limit=3))
attempt("invoice auto_advance=1", lambda: stripe.Invoice.create(customer=customer.id, auto_advance=1))

"""Email send-outs of approved texts: composing the message (compose), deciding a send and
its recipients (mailings), the worker that delivers it (deliver), meeting notices."""

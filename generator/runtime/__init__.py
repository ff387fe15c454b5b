"""The fixed modules of the generated client and stubs, copied as they are into the output.

They are ordinary Python here (linted, type-checked and unit-tested in place); what differs per
API comes from `_constants`, which the generator writes for each client.
"""

"""The hostile-input fuzz harness for the extractor (issue 11): ``oracle`` says whether a parse kept its
promises, ``mutate`` makes the inputs, ``python -m tests.fuzz`` runs the long form and prints figures."""

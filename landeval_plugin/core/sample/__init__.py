"""样例区: the generated sample district used by the demo and the tests."""

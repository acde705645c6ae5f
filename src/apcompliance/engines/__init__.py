"""The rule engines: the split of each rule's condition tree into what durable-rules' network
evaluates and the residual tests run in Python (`compiler`), durable-rules itself (`durable`, the
only module that imports it), the network engine with its residual tests (`network`) and the
plain-Python engine of the whole tree (`python`)."""

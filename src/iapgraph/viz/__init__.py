"""The HTML wing: which nodes and statements a view shows (:mod:`.view`), their colours and
shapes (:mod:`.style`), and the self-contained offline page (:mod:`.page`, ``kg.viz``)."""

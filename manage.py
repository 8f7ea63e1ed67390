#!/usr/bin/env python
from broadsheet.cli import main

if __name__ == "__main__":
    main()

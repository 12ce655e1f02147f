import TresoCore

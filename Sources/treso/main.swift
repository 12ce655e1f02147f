print("treso")

from monev.cli import main

main()

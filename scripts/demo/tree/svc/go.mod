module example.com/demo/svc

go 1.21

require (
	golang.org/x/net v0.10.0
	golang.org/x/text v0.9.0 // indirect
)

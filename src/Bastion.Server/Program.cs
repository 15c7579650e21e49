using Bastion.Server;

var app = BastionServer.Create(args);
await app.RunAsync();

package ec2

// Exported for the tests of package ec2_test: the question a path asks, so
// a test can compare the API's answer with analyzer.Analyze's.
var PathQuery = pathQuery
